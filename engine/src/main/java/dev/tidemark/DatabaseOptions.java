package dev.tidemark;

import dev.tidemark.io.FileIo;
import dev.tidemark.io.NioFileIo;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Database}; immutable, built and checked by {@link Builder#build()}. The defaults are the
 * safe ones: {@link Durability#SYNC} commits, {@link IsolationLevel#SNAPSHOT}, a 10 s lock timeout.
 */
public final class DatabaseOptions
{
    public static final int DEFAULT_PAGE_SIZE = 8 << 10;
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_VALUE_LENGTH = 64 << 20;
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** A checkpoint at least this often while the database changes, so that a restart has little log to read. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);
    /** A checkpoint once this much log was written since the last one. */
    public static final long DEFAULT_CHECKPOINT_LOG_BYTES = 64L << 20;

    private final Durability durability;
    private final IsolationLevel isolation;
    private final Duration lockTimeout;
    private final int pageSize;
    private final long cacheBytes;
    private final int walSegmentSize;
    private final int maxValueLength;
    private final FileIo fileIo;
    private final Duration checkpointInterval;
    private final long checkpointLogBytes;

    private DatabaseOptions(final Builder builder)
    {
        this.checkpointInterval = builder.checkpointInterval;
        this.checkpointLogBytes = builder.checkpointLogBytes;
        this.durability = builder.durability;
        this.isolation = builder.isolation;
        this.lockTimeout = builder.lockTimeout;
        this.pageSize = builder.pageSize;
        this.cacheBytes = builder.cacheBytes;
        this.walSegmentSize = builder.walSegmentSize;
        this.maxValueLength = builder.maxValueLength;
        this.fileIo = builder.fileIo;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public static DatabaseOptions defaults()
    {
        return builder().build();
    }

    /** @return the durability of commits that do not choose one */
    public Durability durability()
    {
        return durability;
    }

    /** @return the isolation level of transactions that do not choose one */
    public IsolationLevel isolation()
    {
        return isolation;
    }

    /** @return how long a transaction waits for a lock before {@link LockTimeoutException} */
    public Duration lockTimeout()
    {
        return lockTimeout;
    }

    /** @return the page size of a new database (an existing one keeps its own) */
    public int pageSize()
    {
        return pageSize;
    }

    /**
     * @return the bytes of the page cache (the buffer pool): its most; its memory is allocated in 8 MiB steps as
     *     pages are first cached, so a small database stays small
     */
    public long cacheBytes()
    {
        return cacheBytes;
    }

    /** @return the size of a log segment file */
    public int walSegmentSize()
    {
        return walSegmentSize;
    }

    /** @return the largest value a put accepts */
    public int maxValueLength()
    {
        return maxValueLength;
    }

    /** @return the file I/O seam (the operating system's unless a test supplies a simulated one) */
    public FileIo fileIo()
    {
        return fileIo;
    }

    /**
     * @return how often the checkpointer thread checkpoints a database that changed since its last checkpoint;
     * zero: never by time
     */
    public Duration checkpointInterval()
    {
        return checkpointInterval;
    }

    /** @return the log bytes written since the last checkpoint that make the next one; zero: never by volume */
    public long checkpointLogBytes()
    {
        return checkpointLogBytes;
    }

    /** Builds {@link DatabaseOptions}. */
    public static final class Builder
    {
        private Durability durability = Durability.SYNC;
        private IsolationLevel isolation = IsolationLevel.SNAPSHOT;
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        private int walSegmentSize = 64 << 20;
        private int maxValueLength = DEFAULT_MAX_VALUE_LENGTH;
        private FileIo fileIo = new NioFileIo();
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private long checkpointLogBytes = DEFAULT_CHECKPOINT_LOG_BYTES;

        private Builder()
        {
        }

        public Builder durability(final Durability durability)
        {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder isolation(final IsolationLevel isolation)
        {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        public Builder lockTimeout(final Duration lockTimeout)
        {
            this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
            return this;
        }

        /** @param pageSize a power of two from 4 KiB to 64 KiB, used when the database is created */
        public Builder pageSize(final int pageSize)
        {
            this.pageSize = pageSize;
            return this;
        }

        public Builder cacheBytes(final long cacheBytes)
        {
            this.cacheBytes = cacheBytes;
            return this;
        }

        public Builder walSegmentSize(final int walSegmentSize)
        {
            this.walSegmentSize = walSegmentSize;
            return this;
        }

        /** @param maxValueLength the largest value accepted, up to 1 GiB */
        public Builder maxValueLength(final int maxValueLength)
        {
            this.maxValueLength = maxValueLength;
            return this;
        }

        public Builder fileIo(final FileIo fileIo)
        {
            this.fileIo = Objects.requireNonNull(fileIo, "fileIo");
            return this;
        }

        /**
         * @param checkpointInterval how often to checkpoint a database that changed ({@link Duration#ZERO}: never
         *                           by time; with both triggers off only {@link Database#checkpoint()} and
         *                           {@link Database#close()} checkpoint, and the log grows until they do)
         */
        public Builder checkpointInterval(final Duration checkpointInterval)
        {
            this.checkpointInterval = Objects.requireNonNull(checkpointInterval, "checkpointInterval");
            return this;
        }

        /** @param checkpointLogBytes checkpoint once this many log bytes were written since the last (0: never) */
        public Builder checkpointLogBytes(final long checkpointLogBytes)
        {
            this.checkpointLogBytes = checkpointLogBytes;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public DatabaseOptions build()
        {
            if (checkpointInterval.isNegative())
            {
                throw new IllegalArgumentException("checkpointInterval must not be negative, was "
                    + checkpointInterval);
            }
            if (checkpointLogBytes < 0)
            {
                throw new IllegalArgumentException("checkpointLogBytes must not be negative, was "
                    + checkpointLogBytes);
            }
            if (lockTimeout.isNegative())
            {
                throw new IllegalArgumentException("lockTimeout must not be negative, was " + lockTimeout);
            }
            if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1)
            {
                throw new IllegalArgumentException("pageSize must be a power of two from 4096 to 65536, was "
                    + pageSize);
            }
            if (cacheBytes < 16L * pageSize)
            {
                throw new IllegalArgumentException("cacheBytes must hold at least 16 pages (" + 16L * pageSize
                    + " bytes), was " + cacheBytes);
            }
            if (maxValueLength < 0 || maxValueLength > dev.tidemark.mvcc.BTree.MAX_VALUE_LENGTH)
            {
                throw new IllegalArgumentException("maxValueLength must be 0 to "
                    + dev.tidemark.mvcc.BTree.MAX_VALUE_LENGTH + ", was " + maxValueLength);
            }
            return new DatabaseOptions(this);
        }
    }
}
