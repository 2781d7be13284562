package dev.tidemark.wal;

import dev.tidemark.io.FileIo;
import dev.tidemark.io.NioFileIo;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Immutable settings of a {@link WriteAheadLog}; build with {@link #builder(Path)}. */
public final class WalOptions
{
    /** Default segment size: 64 MiB. */
    public static final int DEFAULT_SEGMENT_SIZE = 64 << 20;
    /** Default largest record payload: 64 MiB. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 64 << 20;
    /** Default ring (log buffer) slots. */
    public static final int DEFAULT_RING_SIZE = 1024;
    /** Default bound on how long an ASYNC record stays unforced. */
    public static final long DEFAULT_ASYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Path directory;
    private final FileIo fileIo;
    private final int segmentSize;
    private final int maxRecordSize;
    private final int ringSize;
    private final long asyncIntervalNanos;
    private final RecoveryMode recoveryMode;
    private final SegmentArchiver archiver;

    private WalOptions(final Builder builder)
    {
        this.directory = builder.directory;
        this.fileIo = builder.fileIo;
        this.segmentSize = builder.segmentSize;
        this.maxRecordSize = builder.maxRecordSize;
        this.ringSize = builder.ringSize;
        this.asyncIntervalNanos = builder.asyncIntervalNanos;
        this.recoveryMode = builder.recoveryMode;
        this.archiver = builder.archiver;
    }

    public static Builder builder(final Path directory)
    {
        return new Builder(directory);
    }

    public Path directory()
    {
        return directory;
    }

    public FileIo fileIo()
    {
        return fileIo;
    }

    public int segmentSize()
    {
        return segmentSize;
    }

    public int maxRecordSize()
    {
        return maxRecordSize;
    }

    public int ringSize()
    {
        return ringSize;
    }

    public long asyncIntervalNanos()
    {
        return asyncIntervalNanos;
    }

    public RecoveryMode recoveryMode()
    {
        return recoveryMode;
    }

    /** @return the archive hook, or null when completed segments are not archived. */
    public SegmentArchiver archiver()
    {
        return archiver;
    }

    /** Builder; {@link #build()} validates every value once and names the one that is wrong. */
    public static final class Builder
    {
        private final Path directory;
        private FileIo fileIo = new NioFileIo();
        private int segmentSize = DEFAULT_SEGMENT_SIZE;
        private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
        private int ringSize = DEFAULT_RING_SIZE;
        private long asyncIntervalNanos = DEFAULT_ASYNC_INTERVAL_NANOS;
        private RecoveryMode recoveryMode = RecoveryMode.TOLERATE_CORRUPTED_TAIL;
        private SegmentArchiver archiver;

        private Builder(final Path directory)
        {
            this.directory = directory;
        }

        /** The file system seam; the real file system by default. */
        public Builder fileIo(final FileIo fileIo)
        {
            this.fileIo = fileIo;
            return this;
        }

        /** Size of each segment file in bytes, 64 KiB to 1 GiB, a multiple of 4 KiB; 64 MiB by default. */
        public Builder segmentSize(final int segmentSize)
        {
            this.segmentSize = segmentSize;
            return this;
        }

        /** Largest payload accepted, up to 1 GiB; 64 MiB by default. Larger records get a segment of their own. */
        public Builder maxRecordSize(final int maxRecordSize)
        {
            this.maxRecordSize = maxRecordSize;
            return this;
        }

        /** Slots in the log buffer ring, a power of two from 16; 1024 by default. */
        public Builder ringSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return this;
        }

        /** Upper bound on how long an ASYNC record stays unforced; 1 ms to 10 s, 10 ms by default. */
        public Builder asyncInterval(final long interval, final TimeUnit unit)
        {
            this.asyncIntervalNanos = unit.toNanos(interval);
            return this;
        }

        public Builder recoveryMode(final RecoveryMode recoveryMode)
        {
            this.recoveryMode = recoveryMode;
            return this;
        }

        public Builder archiver(final SegmentArchiver archiver)
        {
            this.archiver = archiver;
            return this;
        }

        public WalOptions build()
        {
            Objects.requireNonNull(directory, "WAL directory must not be null");
            Objects.requireNonNull(fileIo, "fileIo must not be null");
            Objects.requireNonNull(recoveryMode, "recoveryMode must not be null");
            if (segmentSize < (64 << 10) || segmentSize > (1 << 30) || (segmentSize & 4095) != 0)
            {
                throw new IllegalArgumentException("segmentSize " + segmentSize
                    + " must be a multiple of 4096 between 65536 (64 KiB) and 1073741824 (1 GiB)");
            }
            if (maxRecordSize < 0 || maxRecordSize > (1 << 30) - 4096)
            {
                throw new IllegalArgumentException("maxRecordSize " + maxRecordSize
                    + " must be between 0 and 1073737728 (1 GiB less one page)");
            }
            if (ringSize < 16 || Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize " + ringSize + " must be a power of two, at least 16");
            }
            if (asyncIntervalNanos < TimeUnit.MILLISECONDS.toNanos(1) || asyncIntervalNanos > TimeUnit.SECONDS.toNanos(10))
            {
                throw new IllegalArgumentException("asyncInterval " + asyncIntervalNanos
                    + " ns must be between 1 ms and 10 s");
            }
            return new WalOptions(this);
        }
    }
}
