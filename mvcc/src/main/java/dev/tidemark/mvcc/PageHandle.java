package dev.tidemark.mvcc;

import org.agrona.MutableDirectBuffer;

/**
 * A pinned, latched page of the buffer pool, from {@link PageStore#pin} or {@link PageStore#allocate} until
 * {@link #close()}, which releases the latch and the pin. The page cannot be evicted while pinned.
 *
 * <p>The pool keeps two handle objects per frame (one per {@link LatchMode}) and hands them out again, so that a
 * pin allocates nothing: a handle must not be used after its {@code close()}. Threading: a handle belongs to the
 * thread that pinned it; latches are reentrant per thread, and a shared handle may be held by several threads at
 * once, each closing its own pin.
 */
public final class PageHandle implements AutoCloseable
{
    private final BufferPool pool;
    private final Frame frame;
    private final LatchMode mode;

    PageHandle(final BufferPool pool, final Frame frame, final LatchMode mode)
    {
        this.pool = pool;
        this.frame = frame;
        this.mode = mode;
    }

    public long pageId()
    {
        return frame.pageId;
    }

    public LatchMode mode()
    {
        return mode;
    }

    /** @return the LSN of the last change to this page (0 for a page never changed under a log). */
    public long pageLsn()
    {
        return frame.pageLsn();
    }

    /** @return the page type; the layers above use types from 16 to 255. */
    public int pageType()
    {
        return frame.page.get(PageLayout.TYPE_OFFSET) & 0xFF;
    }

    /**
     * The page body: the page after its 32-byte header, index 0 = first body byte. Write to it only under an
     * EXCLUSIVE latch, then call {@link #markDirty(long)}.
     */
    public MutableDirectBuffer body()
    {
        return frame;
    }

    /** Sets the page type (16 to 255). EXCLUSIVE only; takes effect on disk with the next {@link #markDirty}. */
    public void pageType(final int type)
    {
        requireExclusive();
        if (type < PageLayout.FIRST_USER_TYPE || type > PageLayout.MAX_TYPE)
        {
            throw new IllegalArgumentException("page type must be 16 to 255, was " + type);
        }
        frame.page.put(PageLayout.TYPE_OFFSET, (byte)type);
    }

    /**
     * Records that the page was changed by the log record at {@code lsn}: sets the page LSN and, on the first
     * change since the page was last written, its recLSN in the dirty-page table. EXCLUSIVE only.
     *
     * @throws IllegalArgumentException when {@code lsn} is below the page LSN (an LSN never goes back)
     * @throws dev.tidemark.FailStopException after a failed page write: the store takes no more changes
     */
    public void markDirty(final long lsn)
    {
        requireExclusive();
        if (lsn < frame.pageLsn())
        {
            throw new IllegalArgumentException("LSN " + lsn + " is below the LSN " + frame.pageLsn() + " of page "
                + frame.pageId);
        }
        pool.markDirty(frame, lsn);
    }

    /** Releases the latch and the pin. */
    /**
     * Enters the page in the dirty-page table before the record of a change is appended; see
     * {@link BufferPool#preDirty}. The page must be latched EXCLUSIVE.
     */
    void preDirty(final long lowerBound)
    {
        requireExclusive();
        pool.preDirty(frame, lowerBound);
    }

    @Override
    public void close()
    {
        pool.release(frame, mode);
    }

    /** @return the whole page, header included: what redo writes through. */
    org.agrona.concurrent.UnsafeBuffer pageBuffer()
    {
        return frame.whole;
    }

    Frame frame()
    {
        return frame;
    }

    private void requireExclusive()
    {
        if (mode != LatchMode.EXCLUSIVE)
        {
            throw new IllegalStateException("page " + frame.pageId + " is latched " + mode + "; changing it needs "
                + LatchMode.EXCLUSIVE);
        }
    }

    @Override
    public String toString()
    {
        return "PageHandle[page " + frame.pageId + ", " + mode + ", frame " + frame.index + "]";
    }
}
