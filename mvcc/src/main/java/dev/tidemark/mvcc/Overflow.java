package dev.tidemark.mvcc;

import dev.tidemark.wal.WriteAheadLog;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

/**
 * Chains of overflow pages ({@link OverflowLayout}) for large values and spilled version chains. A chain is
 * written back to front, one logged page at a time, before any leaf points to it; it is freed (logged) only after
 * the leaf stopped pointing to it. A crash in between leaves unreachable pages, never a dangling reference.
 */
final class Overflow
{
    static final int FREES_PER_RECORD = 512;

    private final PageStore pages;
    private final WriteAheadLog wal;

    Overflow(final PageStore pages, final WriteAheadLog wal)
    {
        this.pages = pages;
        this.wal = wal;
    }

    /** @return how many pages a chain of {@code length} bytes takes. */
    int pagesFor(final int length)
    {
        final int capacity = OverflowLayout.dataCapacity(pages.bodySize());
        return Math.max(1, (length + capacity - 1) / capacity);
    }

    /** Writes {@code length} bytes into a new chain. @return its first page */
    long write(final DirectBuffer data, final int offset, final int length, final Scratch scratch)
    {
        final int capacity = OverflowLayout.dataCapacity(pages.bodySize());
        long next = 0;
        for (int page = pagesFor(length) - 1; page >= 0; page--)
        {
            final int from = page * capacity;
            final int bytes = Math.min(capacity, length - from);
            final SmoBatch smo = scratch.smo;
            final MutableDirectBuffer image = smo.create(OverflowLayout.TYPE_OVERFLOW);
            final long pageId = smo.pageIdOf(image);
            OverflowLayout.write(image, next, data, offset + from, bytes);
            try
            {
                smo.commit(wal, scratch.record);
            }
            catch (final RuntimeException ex)
            {
                if (next != 0)
                {
                    freeQuietly(next, scratch, ex);
                }
                throw ex;
            }
            next = pageId;
        }
        return next;
    }

    /** Copies the chain starting at {@code firstPage} into {@code to} at {@code at}. @return the bytes copied */
    int read(final long firstPage, final MutableDirectBuffer to, final int at)
    {
        int length = 0;
        long pageId = firstPage;
        while (pageId != 0)
        {
            try (PageHandle handle = pages.pin(pageId, LatchMode.SHARED))
            {
                requireOverflow(handle, firstPage);
                final MutableDirectBuffer body = handle.body();
                final int used = OverflowLayout.used(body);
                to.putBytes(at + length, body, OverflowLayout.HEADER_LENGTH, used);
                length += used;
                pageId = OverflowLayout.next(body);
            }
        }
        return length;
    }

    /** Frees every page of the chain at {@code firstPage}, logged in records of up to 512 pages. */
    void free(final long firstPage, final Scratch scratch)
    {
        final LongArrayList ids = new LongArrayList();
        long pageId = firstPage;
        while (pageId != 0)
        {
            ids.addLong(pageId);
            try (PageHandle handle = pages.pin(pageId, LatchMode.SHARED))
            {
                requireOverflow(handle, firstPage);
                pageId = OverflowLayout.next(handle.body());
            }
        }
        for (int from = 0; from < ids.size(); from += FREES_PER_RECORD)
        {
            final SmoBatch smo = scratch.smo;
            for (int i = from; i < Math.min(ids.size(), from + FREES_PER_RECORD); i++)
            {
                smo.free(ids.getLong(i));
            }
            smo.commit(wal, scratch.record);
        }
    }

    /** Collects the pages of a chain (for verification). */
    void collect(final long firstPage, final LongArrayList into)
    {
        long pageId = firstPage;
        while (pageId != 0)
        {
            into.addLong(pageId);
            try (PageHandle handle = pages.pin(pageId, LatchMode.SHARED))
            {
                requireOverflow(handle, firstPage);
                pageId = OverflowLayout.next(handle.body());
            }
        }
    }

    private void freeQuietly(final long firstPage, final Scratch scratch, final RuntimeException failure)
    {
        try
        {
            free(firstPage, scratch);
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    private void requireOverflow(final PageHandle handle, final long firstPage)
    {
        if (handle.pageType() != OverflowLayout.TYPE_OVERFLOW)
        {
            throw new dev.tidemark.CorruptionException(pages.path(), handle.pageId() * pages.pageSize(),
                "page " + handle.pageId() + " of the overflow chain starting at page " + firstPage + " has type "
                + handle.pageType() + ", not an overflow page");
        }
    }
}
