package dev.tidemark.mvcc;

import java.time.Duration;
import java.util.Objects;

/** Settings of an {@link MvccStore}; immutable, built and checked by {@link Builder#build()}. */
public final class MvccStoreOptions
{
    /** How often the background collector looks for versions no snapshot can see. */
    public static final Duration DEFAULT_GC_INTERVAL = Duration.ofMillis(200);

    private final PageStoreOptions pages;
    private final Duration gcInterval;

    private MvccStoreOptions(final Builder builder)
    {
        this.pages = builder.pages;
        this.gcInterval = builder.gcInterval;
    }

    /** @return a builder for a store over the page file of {@code pages}. */
    public static Builder builder(final PageStoreOptions pages)
    {
        return new Builder(Objects.requireNonNull(pages, "pages"));
    }

    public PageStoreOptions pages()
    {
        return pages;
    }

    /** @return the interval of the background garbage collector; zero means no background collection. */
    public Duration gcInterval()
    {
        return gcInterval;
    }

    /** Builds {@link MvccStoreOptions}. */
    public static final class Builder
    {
        private final PageStoreOptions pages;
        private Duration gcInterval = DEFAULT_GC_INTERVAL;

        private Builder(final PageStoreOptions pages)
        {
            this.pages = pages;
        }

        /** @param interval how often to collect garbage in the background; zero turns it off */
        public Builder gcInterval(final Duration interval)
        {
            this.gcInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public MvccStoreOptions build()
        {
            if (gcInterval.isNegative())
            {
                throw new IllegalArgumentException("gcInterval must not be negative, was " + gcInterval);
            }
            return new MvccStoreOptions(this);
        }
    }
}
