package dev.tidemark;

import java.time.Duration;
import java.util.Objects;

/** Settings of one transaction; unset fields take the database's defaults. Immutable. */
public final class TransactionOptions
{
    private final IsolationLevel isolation;
    private final Durability durability;
    private final Duration lockTimeout;
    private final boolean readOnly;

    private TransactionOptions(final Builder builder)
    {
        this.isolation = builder.isolation;
        this.durability = builder.durability;
        this.lockTimeout = builder.lockTimeout;
        this.readOnly = builder.readOnly;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the isolation level, or null for the database default */
    public IsolationLevel isolation()
    {
        return isolation;
    }

    /** @return the durability of the commit, or null for the database default */
    public Durability durability()
    {
        return durability;
    }

    /** @return how long to wait for a lock, or null for the database default */
    public Duration lockTimeout()
    {
        return lockTimeout;
    }

    /** @return whether writes are refused */
    public boolean readOnly()
    {
        return readOnly;
    }

    /** Builds {@link TransactionOptions}. */
    public static final class Builder
    {
        private IsolationLevel isolation;
        private Durability durability;
        private Duration lockTimeout;
        private boolean readOnly;

        private Builder()
        {
        }

        public Builder isolation(final IsolationLevel isolation)
        {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        public Builder durability(final Durability durability)
        {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder lockTimeout(final Duration lockTimeout)
        {
            this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
            return this;
        }

        public Builder readOnly(final boolean readOnly)
        {
            this.readOnly = readOnly;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public TransactionOptions build()
        {
            if (lockTimeout != null && lockTimeout.isNegative())
            {
                throw new IllegalArgumentException("lockTimeout must not be negative, was " + lockTimeout);
            }
            return new TransactionOptions(this);
        }
    }
}
