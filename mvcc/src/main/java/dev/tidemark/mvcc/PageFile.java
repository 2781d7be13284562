package dev.tidemark.mvcc;

import dev.tidemark.CorruptionException;
import dev.tidemark.StorageFullException;
import dev.tidemark.StorageIOException;
import dev.tidemark.UnsupportedFormatException;
import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.NoSpaceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * One page file on the {@link FileIo} seam: whole-page positional reads that verify every page, growth by
 * extents of real zeros, and the raw writes the {@link Doublewrite} protocol is built from. Layout:
 * {@link PageFileLayout}; page header: {@link PageLayout}; spec: {@code docs/format/page.md}.
 *
 * <p>Thread-safe: reads are positional and may run on any thread; {@link #grow()} and the write methods are
 * called by one thread at a time (the caller's allocation lock and the buffer pool's flush lock).
 */
final class PageFile implements AutoCloseable
{
    private static final int SCAN_PAGES = 64;

    private final FileHandle handle;
    private final int pageSize;
    private final int doublewriteSlots;
    private final int extentPages;
    private final long firstDataPage;
    private volatile long pageCount;

    private PageFile(final FileHandle handle, final int pageSize, final int doublewriteSlots, final int extentPages,
        final long pageCount)
    {
        this.handle = handle;
        this.pageSize = pageSize;
        this.doublewriteSlots = doublewriteSlots;
        this.extentPages = extentPages;
        this.firstDataPage = PageFileLayout.firstDataPage(doublewriteSlots);
        this.pageCount = pageCount;
    }

    /**
     * Opens the page file of {@code options}, creating it when missing: the new file is written in full under a
     * temporary name, forced, renamed into place, and its directory forced.
     */
    static PageFile openOrCreate(final PageStoreOptions options)
    {
        final FileIo io = options.fileIo();
        final Path path = options.file();
        try
        {
            if (!io.exists(path))
            {
                create(io, path, options);
            }
            return open(io, path);
        }
        catch (final NoSpaceException ex)
        {
            throw new StorageFullException("no room to create the page file " + path, ex);
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("cannot open the page file " + path + ": " + ex.getMessage(), ex);
        }
    }

    private static void create(final FileIo io, final Path path, final PageStoreOptions options)
        throws IOException
    {
        final Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        io.delete(temporary);
        final int pageSize = options.pageSize();
        final ByteBuffer header = newPageBuffer(pageSize);
        PageFileLayout.writeFileHeader(header, pageSize, options.doublewriteSlots(), options.extentPages());
        PageLayout.seal(header, new CRC32C());
        try (FileHandle file = io.open(temporary, FileIo.OpenMode.CREATE_NEW))
        {
            final long pages = PageFileLayout.firstDataPage(options.doublewriteSlots()) + options.extentPages();
            file.allocate(pages * pageSize);
            file.write(header, 0);
            file.force();
        }
        io.rename(temporary, path);
        io.forceDirectory(path.toAbsolutePath().getParent());
    }

    private static PageFile open(final FileIo io, final Path path) throws IOException
    {
        final FileHandle handle = io.open(path, FileIo.OpenMode.READ_WRITE);
        try
        {
            return readHeader(handle);
        }
        catch (final RuntimeException | IOException ex)
        {
            try
            {
                handle.close();
            }
            catch (final IOException closeFailure)
            {
                ex.addSuppressed(closeFailure);
            }
            throw ex;
        }
    }

    private static PageFile readHeader(final FileHandle handle) throws IOException
    {
        final Path path = handle.path();
        final long size = handle.size();
        if (size < PageFileLayout.PROBE_LENGTH)
        {
            throw new CorruptionException(path, 0, "page file shorter than its header (" + size + " bytes)");
        }
        final ByteBuffer probe = ByteBuffer.allocate(PageFileLayout.PROBE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        handle.readFully(probe, 0);
        if (probe.getInt(PageFileLayout.MAGIC_OFFSET) != PageFileLayout.MAGIC)
        {
            throw new CorruptionException(path, PageFileLayout.MAGIC_OFFSET, "not a Tidemark page file (bad magic)");
        }
        final int version = probe.getShort(PageLayout.VERSION_OFFSET);
        if (version != PageLayout.FORMAT_VERSION)
        {
            throw new UnsupportedFormatException(path, "page file", version, PageLayout.FORMAT_VERSION);
        }
        final int pageSize = probe.getInt(PageFileLayout.PAGE_SIZE_OFFSET);
        if (!PageLayout.isValidPageSize(pageSize) || size < pageSize)
        {
            throw new CorruptionException(path, PageFileLayout.PAGE_SIZE_OFFSET, "invalid page size " + pageSize);
        }
        final ByteBuffer page = newPageBuffer(pageSize);
        handle.readFully(page, 0);
        page.clear();
        if (PageLayout.check(page, PageFileLayout.FILE_HEADER_PAGE, new CRC32C()) != PageLayout.Check.VALID)
        {
            throw new CorruptionException(path, 0, "page file header (page 0) failed its checksum");
        }
        final int slots = page.getInt(PageFileLayout.DOUBLEWRITE_SLOTS_OFFSET);
        final int extent = page.getInt(PageFileLayout.EXTENT_PAGES_OFFSET);
        final long pages = size / pageSize;
        if (slots < 1 || slots > PageFileLayout.maxDoublewriteSlots(pageSize) || extent < 1
            || page.getLong(PageFileLayout.FIRST_DATA_PAGE_OFFSET) != PageFileLayout.firstDataPage(slots)
            || pages < PageFileLayout.firstDataPage(slots))
        {
            throw new CorruptionException(path, PageFileLayout.DOUBLEWRITE_SLOTS_OFFSET,
                "page file header holds an impossible geometry (doublewrite slots " + slots + ", extent "
                    + extent + ", " + pages + " pages)");
        }
        return new PageFile(handle, pageSize, slots, extent, pages);
    }

    static ByteBuffer newPageBuffer(final int pageSize)
    {
        return ByteBuffer.allocateDirect(pageSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    Path path()
    {
        return handle.path();
    }

    int pageSize()
    {
        return pageSize;
    }

    int doublewriteSlots()
    {
        return doublewriteSlots;
    }

    long firstDataPage()
    {
        return firstDataPage;
    }

    /** @return the pages the file holds, header and doublewrite area included. */
    long pageCount()
    {
        return pageCount;
    }

    long offsetOf(final long pageId)
    {
        return pageId * pageSize;
    }

    /**
     * Reads page {@code pageId} into {@code page} (capacity = page size) and verifies it: an all-zero page is
     * returned as is; anything else must pass its checksum, carry a known version and its own id.
     *
     * @throws CorruptionException naming the file and the page's offset when a check fails
     */
    void readPage(final long pageId, final ByteBuffer page, final CRC32C crc)
    {
        readRaw(pageId, page);
        requireValid(pageId, page, PageLayout.check(page, pageId, crc));
    }

    /** Throws the exception that describes {@code check} unless the page is valid or was never written. */
    void requireValid(final long pageId, final ByteBuffer page, final PageLayout.Check check)
    {
        switch (check)
        {
            case VALID:
            case ZERO:
                return;
            case UNKNOWN_VERSION:
                throw new UnsupportedFormatException(path(), "page " + pageId,
                    page.getShort(PageLayout.VERSION_OFFSET), PageLayout.FORMAT_VERSION);
            case WRONG_PAGE_ID:
                throw new CorruptionException(path(), offsetOf(pageId), "page " + pageId + " holds the image of page "
                    + PageLayout.pageId(page) + " (misdirected write)");
            default:
                throw new CorruptionException(path(), offsetOf(pageId), "page " + pageId + " failed its checksum");
        }
    }

    /** Reads the bytes of page {@code pageId} without checking them. */
    void readRaw(final long pageId, final ByteBuffer page)
    {
        if (pageId < 0 || pageId >= pageCount)
        {
            throw new IllegalArgumentException("page " + pageId + " is outside " + path() + " (" + pageCount
                + " pages)");
        }
        page.clear();
        try
        {
            handle.readFully(page, offsetOf(pageId));
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("cannot read page " + pageId + " of " + path() + " at byte offset "
                + offsetOf(pageId) + ": " + ex.getMessage(), ex);
        }
        page.clear();
    }

    /** Writes {@code pages} (whole pages, already sealed) starting at page {@code pageId}. */
    void writeRaw(final long pageId, final ByteBuffer pages) throws IOException
    {
        handle.write(pages, offsetOf(pageId));
    }

    void force() throws IOException
    {
        handle.force();
    }

    /**
     * Grows the file by one extent of zero-filled pages and forces it, so that the new pages exist durably before
     * any of them is handed out. Called under the caller's allocation lock.
     */
    void grow()
    {
        final long newCount = pageCount + extentPages;
        try
        {
            handle.allocate(newCount * pageSize);
            handle.force();
        }
        catch (final NoSpaceException ex)
        {
            throw new StorageFullException("no room to grow " + path() + " to " + newCount + " pages", ex);
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("cannot grow " + path() + ": " + ex.getMessage(), ex);
        }
        pageCount = newCount;
    }

    /**
     * Reads every data page and reports the free ones (never written, or freed) to {@code free}, in ascending
     * order. Every other page must pass its checks.
     */
    void scanFreePages(final LongConsumer free)
    {
        scan((pageId, page, check) ->
        {
            if (check == PageLayout.Check.ZERO
                || check == PageLayout.Check.VALID && PageLayout.type(page) == PageLayout.TYPE_FREE)
            {
                free.accept(pageId);
            }
            else
            {
                requireValid(pageId, page, check);
            }
        });
    }

    /** What {@link #scan} shows of each data page. */
    interface PageVisitor
    {
        void visit(long pageId, ByteBuffer page, PageLayout.Check check);
    }

    /** Reads every data page on disk once, in 64-page reads, and shows it with the result of its checks. */
    void scan(final PageVisitor visitor)
    {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(SCAN_PAGES * pageSize).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        for (long first = firstDataPage; first < pageCount; first += SCAN_PAGES)
        {
            final int pages = (int)Math.min(SCAN_PAGES, pageCount - first);
            chunk.clear().limit(pages * pageSize);
            try
            {
                handle.readFully(chunk, offsetOf(first));
            }
            catch (final IOException ex)
            {
                throw new StorageIOException("cannot read " + path() + " at byte offset " + offsetOf(first)
                    + ": " + ex.getMessage(), ex);
            }
            for (int i = 0; i < pages; i++)
            {
                final long pageId = first + i;
                final ByteBuffer page = PageLayout.slice(chunk, i * pageSize, pageSize);
                visitor.visit(pageId, page, PageLayout.check(page, pageId, crc));
            }
        }
    }

    @Override
    public void close()
    {
        try
        {
            handle.close();
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("cannot close " + path() + ": " + ex.getMessage(), ex);
        }
    }
}
