package dev.tidemark.mvcc;

import dev.tidemark.StorageIOException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * The page store: one page file ({@code docs/format/page.md}) behind a buffer pool, with page allocation, a
 * background page writer and torn-page repair through the doublewrite area.
 *
 * <p>Open does, in order: create the file if missing (written in full under a temporary name, forced, renamed,
 * directory forced); check the file header; {@link Doublewrite#repair() complete the last doublewrite batch};
 * read every data page once to verify it and rebuild the free list (the free list is not stored: a page is free
 * when it was never written or carries the FREE type); start {@code tidemark-page-writer}.
 *
 * <p>Threading: every method is thread-safe. Call {@link #close()} once no other thread uses a handle: it writes
 * every dirty page and waits for the latches it needs.
 */
public final class PageStore implements AutoCloseable
{
    private final PageFile file;
    private final BufferPool pool;
    private final PageWriter writer;
    private final Object allocationLock = new Object();
    private final TreeSet<Long> freePages;
    private final int repairedPages;
    private volatile boolean closed;

    private PageStore(final PageFile file, final BufferPool pool, final PageWriter writer,
        final TreeSet<Long> freePages, final int repairedPages)
    {
        this.file = file;
        this.pool = pool;
        this.writer = writer;
        this.freePages = freePages;
        this.repairedPages = repairedPages;
    }

    /**
     * Opens (or creates) the page store of {@code options}; pages are written only when {@code log} is durable
     * up to their LSN.
     *
     * @throws dev.tidemark.CorruptionException naming file and offset when a page fails its checks
     * @throws dev.tidemark.UnsupportedFormatException when the file has a format version this build does not read
     */
    public static PageStore open(final PageStoreOptions options, final LogForce log)
    {
        return open(options, log, true);
    }

    /**
     * As {@link #open(PageStoreOptions, LogForce)}; without {@code findFreePages} the file is not read to build the
     * free list, which stays empty (for restart redo, which allocates nothing: pages past the end come from
     * {@link #ensurePage}).
     */
    static PageStore open(final PageStoreOptions options, final LogForce log, final boolean findFreePages)
    {
        final PageFile file = PageFile.openOrCreate(options);
        try
        {
            final long frames = options.bufferPoolBytes() / file.pageSize();
            if (frames < PageStoreOptions.MIN_FRAMES || frames > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("bufferPoolBytes " + options.bufferPoolBytes() + " holds "
                    + frames + " pages of the file's " + file.pageSize() + " bytes; it must hold "
                    + PageStoreOptions.MIN_FRAMES + " to " + Integer.MAX_VALUE);
            }
            final Doublewrite doublewrite = new Doublewrite(file);
            final int repaired = doublewrite.repair();
            final TreeSet<Long> free = new TreeSet<>();
            if (findFreePages)
            {
                file.scanFreePages(free::add);
            }
            final BufferPool pool = new BufferPool(file, doublewrite, log, (int)frames);
            final PageWriter writer = new PageWriter(pool, options.pageWriterIntervalNanos());
            writer.start();
            return new PageStore(file, pool, writer, free, repaired);
        }
        catch (final IOException ex)
        {
            final StorageIOException failure = new StorageIOException("cannot open " + file.path() + ": "
                + ex.getMessage(), ex);
            closeQuietly(file, failure);
            throw failure;
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(file, ex);
            throw ex;
        }
    }

    private static void closeQuietly(final PageFile file, final RuntimeException failure)
    {
        try
        {
            file.close();
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    public Path path()
    {
        return file.path();
    }

    /** @return the page size of the file (chosen when it was created). */
    public int pageSize()
    {
        return file.pageSize();
    }

    /** @return the bytes of a page's body, what {@link PageHandle#body()} exposes. */
    public int bodySize()
    {
        return file.pageSize() - PageLayout.HEADER_LENGTH;
    }

    /** @return the pages of the file, header and doublewrite area included. */
    public long pageCount()
    {
        return file.pageCount();
    }

    /** @return the id of the first page that can hold data (pages below it belong to the page file). */
    public long firstDataPage()
    {
        return file.firstDataPage();
    }

    /** @return the frames of the buffer pool. */
    public int frameCount()
    {
        return pool.frameCount();
    }

    /** @return how many pages the last open restored from the doublewrite area. */
    public int repairedPagesAtOpen()
    {
        return repairedPages;
    }

    /**
     * Pins page {@code pageId} and latches it in {@code mode}, reading it on a miss. Close the handle to release
     * both. A page never written reads as zeros with type 0.
     *
     * @throws IllegalArgumentException when the page is not a data page of the file
     * @throws dev.tidemark.CorruptionException when the page read fails its checks
     * @throws BufferPoolExhaustedException when every frame is pinned
     */
    public PageHandle pin(final long pageId, final LatchMode mode)
    {
        requireOpen();
        requireDataPage(pageId);
        return pool.pin(pageId, mode, true);
    }

    /**
     * {@link #pin} without the handle, for the tree's read descents: the frame is the page body; let it go with
     * {@link #release}. Skipping the handle object keeps one more cache line out of each level of a lookup.
     */
    Frame pinFrame(final long pageId, final LatchMode mode)
    {
        requireOpen();
        requireDataPage(pageId);
        return pool.pinFrame(pageId, mode, true);
    }

    /** Releases a frame from {@link #pinFrame}. */
    void release(final Frame frame, final LatchMode mode)
    {
        pool.release(frame, mode);
    }

    /**
     * Takes a free page (the lowest free id; the file grows by an extent when none is free), formats it with
     * {@code pageType} and an empty body, and returns it EXCLUSIVE and dirty at {@code lsn}, the LSN of the log
     * record that describes the allocation.
     */
    public PageHandle allocate(final int pageType, final long lsn)
    {
        if (pageType < PageLayout.FIRST_USER_TYPE || pageType > PageLayout.MAX_TYPE)
        {
            throw new IllegalArgumentException("page type must be 16 to 255, was " + pageType);
        }
        requireOpen();
        final long pageId = takeFreePage();
        final PageHandle handle = pool.pin(pageId, LatchMode.EXCLUSIVE, false);
        final Frame frame = handle.frame();
        PageLayout.format(frame.page, pageId, pageType);
        try
        {
            pool.markDirty(frame, lsn);
        }
        catch (final RuntimeException ex)
        {
            handle.close();
            throw ex;
        }
        return handle;
    }

    /**
     * Takes a free page for a change that is about to be logged: the page is pinned EXCLUSIVE; its bytes are those
     * of a free page (zeros, or a FREE page still cached); a change must rewrite it whole. Log the change, apply it, then {@link PageHandle#markDirty(long)}; or give
     * the page back with {@link #unreserve(PageHandle)} when the change is abandoned.
     */
    PageHandle reserve()
    {
        requireOpen();
        final long pageId = takeFreePage();
        try
        {
            return pool.pin(pageId, LatchMode.EXCLUSIVE, false);
        }
        catch (final RuntimeException ex)
        {
            synchronized (allocationLock)
            {
                freePages.add(pageId);
            }
            throw ex;
        }
    }

    /** Gives back a page from {@link #reserve()} whose change was never logged, and closes its handle. */
    void unreserve(final PageHandle handle)
    {
        final Frame frame = handle.frame();
        final long lsn = frame.pageLsn();
        // a page still cached from its free goes back as it was: FREE at its LSN; a page read as zeros stays so
        PageLayout.format(frame.page, frame.pageId, lsn > 0 ? PageLayout.TYPE_FREE : PageLayout.TYPE_NONE);
        frame.page.putLong(PageLayout.LSN_OFFSET, lsn);
        final long pageId = frame.pageId;
        handle.close();
        synchronized (allocationLock)
        {
            freePages.add(pageId);
        }
    }

    private long takeFreePage()
    {
        synchronized (allocationLock)
        {
            if (freePages.isEmpty())
            {
                final long first = file.pageCount();
                file.grow();
                for (long id = first; id < file.pageCount(); id++)
                {
                    freePages.add(id);
                }
            }
            return freePages.pollFirst();
        }
    }

    /**
     * Grows the file by extents until it holds page {@code pageId} (restart redo of a page allocated after the file
     * last grew durably). The new pages join the free list.
     */
    public void ensurePage(final long pageId)
    {
        requireOpen();
        synchronized (allocationLock)
        {
            while (file.pageCount() <= pageId)
            {
                final long first = file.pageCount();
                file.grow();
                for (long id = first; id < file.pageCount(); id++)
                {
                    freePages.add(id);
                }
            }
        }
    }

    /** @return whether page {@code pageId} is on the free list. */
    boolean isFree(final long pageId)
    {
        synchronized (allocationLock)
        {
            return freePages.contains(pageId);
        }
    }

    /**
     * Frees page {@code pageId} at {@code lsn}: it is formatted as FREE and becomes available to
     * {@link #allocate}. The caller must hold no handle of it.
     */
    public void free(final long pageId, final long lsn)
    {
        requireOpen();
        requireDataPage(pageId);
        try (PageHandle handle = pool.pin(pageId, LatchMode.EXCLUSIVE, true))
        {
            final Frame frame = handle.frame();
            final int type = PageLayout.type(frame.page);
            if (type == PageLayout.TYPE_FREE || type == PageLayout.TYPE_NONE)
            {
                throw new IllegalStateException("page " + pageId + " of " + file.path() + " is already free");
            }
            if (lsn < frame.pageLsn())
            {
                throw new IllegalArgumentException("LSN " + lsn + " is below the LSN " + frame.pageLsn()
                    + " of page " + pageId);
            }
            PageLayout.format(frame.page, pageId, PageLayout.TYPE_FREE);
            pool.markDirty(frame, lsn);
        }
        synchronized (allocationLock)
        {
            freePages.add(pageId);
        }
    }

    /** @return the number of free pages in the file. */
    public int freePageCount()
    {
        synchronized (allocationLock)
        {
            return freePages.size();
        }
    }

    /** Writes every page whose recLSN is at most {@code lsn} (for a checkpoint at {@code lsn}). */
    public void flushUpTo(final long lsn)
    {
        pool.flushUpTo(lsn);
    }

    /** Writes every dirty page. Call when writers are quiet. */
    public void flushAll()
    {
        pool.flushUpTo(Long.MAX_VALUE);
    }

    /** @return a copy of the dirty-page table: page id to recLSN (the first change since the page's last write). */
    public Map<Long, Long> dirtyPages()
    {
        return pool.dirtyPages();
    }

    /**
     * Reads every data page on disk and reports, through {@code problems}, each that fails its checks or carries a
     * page LSN above {@code durableLsn} (a page written ahead of the log).
     */
    void checkDisk(final long durableLsn, final java.util.function.Consumer<String> problems)
    {
        requireOpen();
        file.scan((pageId, page, check) ->
        {
            if (check != PageLayout.Check.VALID && check != PageLayout.Check.ZERO)
            {
                problems.accept("page " + pageId + " of " + file.path() + " at byte offset "
                    + pageId * file.pageSize() + " fails its check on disk: " + check);
            }
            else if (PageLayout.lsn(page) > durableLsn)
            {
                problems.accept("page " + pageId + " of " + file.path() + " carries LSN " + PageLayout.lsn(page)
                    + " on disk, above the durable log end " + durableLsn);
            }
        });
    }

    BufferPool pool()
    {
        return pool;
    }

    private void requireOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the page store of " + file.path() + " is closed");
        }
    }

    private void requireDataPage(final long pageId)
    {
        if (pageId < file.firstDataPage() || pageId >= file.pageCount())
        {
            throw new IllegalArgumentException("page " + pageId + " is not a data page of " + file.path()
                + " (data pages " + file.firstDataPage() + " to " + (file.pageCount() - 1) + ")");
        }
    }

    /**
     * Stops the page writer, writes every dirty page (unless a failed write stopped the store) and closes the
     * file. Every step runs even when an earlier one fails; the first failure is thrown with the rest suppressed.
     */
    @Override
    public void close()
    {
        synchronized (allocationLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        RuntimeException failure = null;
        try
        {
            writer.close();
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        if (pool.failure() == null)
        {
            try
            {
                flushAll();
            }
            catch (final RuntimeException ex)
            {
                failure = keep(failure, ex);
            }
        }
        try
        {
            file.close();
        }
        catch (final RuntimeException ex)
        {
            failure = keep(failure, ex);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private static RuntimeException keep(final RuntimeException first, final RuntimeException next)
    {
        if (first == null)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
