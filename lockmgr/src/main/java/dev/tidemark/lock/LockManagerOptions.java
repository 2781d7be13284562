package dev.tidemark.lock;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Immutable settings of a {@link LockManager}; build with {@link #builder()}. */
public final class LockManagerOptions
{
    /** Default number of stripes of the lock table. */
    public static final int DEFAULT_STRIPES = 64;
    /** Default interval of the periodic deadlock check: 50 ms, so a cycle is found within 100 ms. */
    public static final long DEFAULT_DEADLOCK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final int MAX_STRIPES = 1 << 16;
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int stripes;
    private final DeadlockDetection deadlockDetection;
    private final long deadlockIntervalNanos;

    private LockManagerOptions(final Builder builder)
    {
        this.stripes = builder.stripes;
        this.deadlockDetection = builder.deadlockDetection;
        this.deadlockIntervalNanos = builder.deadlockIntervalNanos;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the options with every default. */
    public static LockManagerOptions defaults()
    {
        return builder().build();
    }

    public int stripes()
    {
        return stripes;
    }

    public DeadlockDetection deadlockDetection()
    {
        return deadlockDetection;
    }

    /** @return the period of the {@link DeadlockDetection#PERIODIC} check. */
    public long deadlockIntervalNanos()
    {
        return deadlockIntervalNanos;
    }

    @Override
    public String toString()
    {
        return "LockManagerOptions{stripes=" + stripes + ", deadlockDetection=" + deadlockDetection +
            ", deadlockIntervalNanos=" + deadlockIntervalNanos + '}';
    }

    /** Builder; {@link #build()} validates every value once and names the one that is wrong. Not thread-safe. */
    public static final class Builder
    {
        private int stripes = DEFAULT_STRIPES;
        private DeadlockDetection deadlockDetection = DeadlockDetection.PERIODIC;
        private long deadlockIntervalNanos = DEFAULT_DEADLOCK_INTERVAL_NANOS;

        private Builder()
        {
        }

        /** Stripes of the lock table, a power of two from 1 to 65536; 64 by default. More stripes, less contention. */
        public Builder stripes(final int stripes)
        {
            this.stripes = stripes;
            return this;
        }

        /** When deadlocks are looked for; {@link DeadlockDetection#PERIODIC} by default. */
        public Builder deadlockDetection(final DeadlockDetection deadlockDetection)
        {
            this.deadlockDetection = deadlockDetection;
            return this;
        }

        /** Period of the {@link DeadlockDetection#PERIODIC} check, 1 ms to 10 s; 50 ms by default. */
        public Builder deadlockInterval(final long interval, final TimeUnit unit)
        {
            this.deadlockIntervalNanos = unit.toNanos(interval);
            return this;
        }

        public LockManagerOptions build()
        {
            if (stripes < 1 || stripes > MAX_STRIPES || Integer.bitCount(stripes) != 1)
            {
                throw new IllegalArgumentException(
                    "stripes must be a power of two from 1 to " + MAX_STRIPES + ", was " + stripes);
            }
            Objects.requireNonNull(deadlockDetection, "deadlockDetection");
            if (deadlockIntervalNanos < MIN_INTERVAL_NANOS || deadlockIntervalNanos > MAX_INTERVAL_NANOS)
            {
                throw new IllegalArgumentException(
                    "deadlockInterval must be from 1 ms to 10 s, was " + deadlockIntervalNanos + " ns");
            }
            return new LockManagerOptions(this);
        }
    }
}
