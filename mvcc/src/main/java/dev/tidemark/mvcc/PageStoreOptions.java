package dev.tidemark.mvcc;

import dev.tidemark.io.FileIo;
import dev.tidemark.io.NioFileIo;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Immutable settings of a {@link PageStore}; build with {@link #builder(Path)}. */
public final class PageStoreOptions
{
    /** Default page size: 8 KiB. */
    public static final int DEFAULT_PAGE_SIZE = PageLayout.DEFAULT_PAGE_SIZE;
    /** Default growth step of the page file: 64 pages. */
    public static final int DEFAULT_EXTENT_PAGES = 64;
    /** Default number of doublewrite slots, the largest batch of pages written together. */
    public static final int DEFAULT_DOUBLEWRITE_SLOTS = 32;
    /** Default buffer pool size: 64 MiB. */
    public static final long DEFAULT_BUFFER_POOL_BYTES = 64L << 20;
    /** Default pause of an idle page writer between checks. */
    public static final long DEFAULT_PAGE_WRITER_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Fewest frames a pool may have. */
    public static final int MIN_FRAMES = 8;

    private final Path file;
    private final FileIo fileIo;
    private final int pageSize;
    private final int extentPages;
    private final int doublewriteSlots;
    private final long bufferPoolBytes;
    private final long pageWriterIntervalNanos;

    private PageStoreOptions(final Builder builder)
    {
        this.file = builder.file;
        this.fileIo = builder.fileIo;
        this.pageSize = builder.pageSize;
        this.extentPages = builder.extentPages;
        this.doublewriteSlots = builder.doublewriteSlots;
        this.bufferPoolBytes = builder.bufferPoolBytes;
        this.pageWriterIntervalNanos = builder.pageWriterIntervalNanos;
    }

    /** @return a builder for a store whose page file is {@code file}. */
    public static Builder builder(final Path file)
    {
        return new Builder(file);
    }

    public Path file()
    {
        return file;
    }

    public FileIo fileIo()
    {
        return fileIo;
    }

    /** @return the page size a new file is created with; an existing file keeps the size it was created with. */
    public int pageSize()
    {
        return pageSize;
    }

    public int extentPages()
    {
        return extentPages;
    }

    public int doublewriteSlots()
    {
        return doublewriteSlots;
    }

    public long bufferPoolBytes()
    {
        return bufferPoolBytes;
    }

    public long pageWriterIntervalNanos()
    {
        return pageWriterIntervalNanos;
    }

    /** Builder; {@link #build()} validates every value once and names the one that is wrong. Not thread-safe. */
    public static final class Builder
    {
        private final Path file;
        private FileIo fileIo = new NioFileIo();
        private int pageSize = DEFAULT_PAGE_SIZE;
        private int extentPages = DEFAULT_EXTENT_PAGES;
        private int doublewriteSlots = DEFAULT_DOUBLEWRITE_SLOTS;
        private long bufferPoolBytes = DEFAULT_BUFFER_POOL_BYTES;
        private long pageWriterIntervalNanos = DEFAULT_PAGE_WRITER_INTERVAL_NANOS;

        private Builder(final Path file)
        {
            this.file = file;
        }

        /** The file system seam; the real file system by default. */
        public Builder fileIo(final FileIo fileIo)
        {
            this.fileIo = fileIo;
            return this;
        }

        /** Page size of a new file: a power of two from 4 KiB to 64 KiB; 8 KiB by default. */
        public Builder pageSize(final int pageSize)
        {
            this.pageSize = pageSize;
            return this;
        }

        /** Pages added each time a new file grows, 1 to 65536; 64 by default. */
        public Builder extentPages(final int extentPages)
        {
            this.extentPages = extentPages;
            return this;
        }

        /** Doublewrite slots of a new file, 1 to 256 (and what one header page can list); 32 by default. */
        public Builder doublewriteSlots(final int doublewriteSlots)
        {
            this.doublewriteSlots = doublewriteSlots;
            return this;
        }

        /** Bytes of page frames the buffer pool holds, at least {@link #MIN_FRAMES} pages; 64 MiB by default. */
        public Builder bufferPoolBytes(final long bufferPoolBytes)
        {
            this.bufferPoolBytes = bufferPoolBytes;
            return this;
        }

        /** How often an idle page writer looks for work, 1 ms to 10 s; 50 ms by default. */
        public Builder pageWriterInterval(final long duration, final TimeUnit unit)
        {
            this.pageWriterIntervalNanos = unit.toNanos(duration);
            return this;
        }

        public PageStoreOptions build()
        {
            if (file == null || file.getFileName() == null)
            {
                throw new IllegalArgumentException("file must name a page file, was " + file);
            }
            if (fileIo == null)
            {
                throw new IllegalArgumentException("fileIo must not be null");
            }
            if (!PageLayout.isValidPageSize(pageSize))
            {
                throw new IllegalArgumentException("pageSize must be a power of two from 4096 to 65536, was "
                    + pageSize);
            }
            if (extentPages < 1 || extentPages > 65536)
            {
                throw new IllegalArgumentException("extentPages must be 1 to 65536, was " + extentPages);
            }
            final int maxSlots = Math.min(256, PageFileLayout.maxDoublewriteSlots(pageSize));
            if (doublewriteSlots < 1 || doublewriteSlots > maxSlots)
            {
                throw new IllegalArgumentException("doublewriteSlots must be 1 to " + maxSlots + ", was "
                    + doublewriteSlots);
            }
            if (bufferPoolBytes < (long)MIN_FRAMES * pageSize
                || bufferPoolBytes / pageSize > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("bufferPoolBytes must hold " + MIN_FRAMES + " to "
                    + Integer.MAX_VALUE + " pages of " + pageSize + " bytes, was " + bufferPoolBytes);
            }
            if (pageWriterIntervalNanos < TimeUnit.MILLISECONDS.toNanos(1)
                || pageWriterIntervalNanos > TimeUnit.SECONDS.toNanos(10))
            {
                throw new IllegalArgumentException("pageWriterInterval must be 1 ms to 10 s, was "
                    + pageWriterIntervalNanos + " ns");
            }
            return new PageStoreOptions(this);
        }
    }
}
