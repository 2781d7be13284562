package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Redo of the page operations of this module onto one page image: the same code the store applies its changes
 * through, so that redoing a page's log onto an older image of it gives the same bytes. Idempotent through the
 * page LSN: a record at or below it is skipped.
 */
final class PageRedo
{
    private final UnsafeBuffer body = new UnsafeBuffer(0, 0);
    private final EntryRecord entry = new EntryRecord();
    private final PagesRecord pagesRecord = new PagesRecord();
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);

    /**
     * Applies the record to {@code page} (a whole page, header included) when it changes page {@code pageId} and
     * its LSN is above the page's.
     *
     * @return whether the page changed
     */
    static boolean redo(final UnsafeBuffer page, final long pageId, final long lsn, final int type,
        final DirectBuffer payload, final int offset, final int length)
    {
        return new PageRedo().apply(page, pageId, lsn, type, payload, offset, length);
    }

    /** {@link #redo}, reusing this instance's views and scratch buffer (restart redo: one per pass). */
    boolean apply(final UnsafeBuffer page, final long pageId, final long lsn, final int type,
        final DirectBuffer payload, final int offset, final int length)
    {
        if (lsn <= page.getLong(PageLayout.LSN_OFFSET))
        {
            return false;
        }
        body.wrap(page, PageLayout.HEADER_LENGTH, page.capacity() - PageLayout.HEADER_LENGTH);
        final boolean changed;
        if (type == LogRecordTypes.TREE_ENTRY)
        {
            final EntryRecord record = entry.wrap(payload, offset, length);
            changed = record.pageId() == pageId;
            if (changed)
            {
                if (scratch.capacity() < body.capacity())
                {
                    scratch = new UnsafeBuffer(new byte[body.capacity()]);
                }
                record.redo(body, scratch);
            }
        }
        else if (type == LogRecordTypes.TREE_PAGES)
        {
            changed = redoPages(pagesRecord.wrap(payload, offset, length), page, body, pageId);
        }
        else
        {
            changed = false;
        }
        if (changed)
        {
            page.putLong(PageLayout.LSN_OFFSET, lsn);
        }
        return changed;
    }

    private static boolean redoPages(final PagesRecord record, final MutableDirectBuffer page,
        final MutableDirectBuffer body, final long pageId)
    {
        boolean changed = false;
        int image = record.firstImage();
        for (int i = 0; i < record.imageCount(); i++)
        {
            if (record.imagePageId(image) == pageId)
            {
                record.applyImage(image, page, body);
                changed = true;
            }
            image = record.nextImage(image);
        }
        for (int i = 0; i < record.freeCount(); i++)
        {
            if (record.freedPageId(image, i) == pageId)
            {
                page.setMemory(0, page.capacity(), (byte)0);
                page.putShort(PageLayout.VERSION_OFFSET, PageLayout.FORMAT_VERSION);
                page.putByte(PageLayout.TYPE_OFFSET, (byte)PageLayout.TYPE_FREE);
                page.putLong(PageLayout.PAGE_ID_OFFSET, pageId);
                changed = true;
            }
        }
        return changed;
    }

    /** @return the ids of the pages a record changes, in {@code into}. */
    static void pagesOf(final int type, final DirectBuffer payload, final int offset, final int length,
        final org.agrona.collections.LongArrayList into)
    {
        new PageRedo().pages(type, payload, offset, length, into);
    }

    /** {@link #pagesOf}, reusing this instance's record views. */
    void pages(final int type, final DirectBuffer payload, final int offset, final int length,
        final org.agrona.collections.LongArrayList into)
    {
        if (type == LogRecordTypes.TREE_ENTRY)
        {
            into.addLong(entry.wrap(payload, offset, length).pageId());
        }
        else if (type == LogRecordTypes.TREE_PAGES)
        {
            final PagesRecord record = pagesRecord.wrap(payload, offset, length);
            int image = record.firstImage();
            for (int i = 0; i < record.imageCount(); i++)
            {
                into.addLong(record.imagePageId(image));
                image = record.nextImage(image);
            }
            for (int i = 0; i < record.freeCount(); i++)
            {
                into.addLong(record.freedPageId(image, i));
            }
        }
    }
}
