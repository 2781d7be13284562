package dev.tidemark.mvcc;

import java.nio.ByteBuffer;

/**
 * Layout of a page file: where its regions lie and the bodies of its two special pages (little-endian; both pages
 * start with the common {@link PageLayout} header).
 *
 * <pre>
 *  page 0             page 1              pages 2 .. 1+D             pages 2+D ..
 * +-------------+---------------------+--------------------------+------------------------------------
 * | file header | doublewrite header  | doublewrite slots (D)    | data pages, grown in extents
 * +-------------+---------------------+--------------------------+------------------------------------
 *
 * File header body (page 0)                Doublewrite header body (page 1)
 *  32 +-------------------------------+     32 +-------------------------------+
 *     |          Magic 'TMPG'         |        |         Batch Sequence        |
 *  36 +-------------------------------+        |                               |
 *     |       Page Size (bytes)       |     40 +-------------------------------+
 *  40 +-------------------------------+        |      Page Count n (0..D)      |
 *     |    Doublewrite Slots (D)      |     44 +-------------------------------+
 *  44 +-------------------------------+        |           Reserved            |
 *     |   Extent Size (pages)         |     48 +-------------------------------+
 *  48 +-------------------------------+        |       Page Id of slot 0       |
 *     |   First Data Page (2 + D)     |        |                               |
 *     |                               |        +-------------------------------+
 *  56 +-------------------------------+        |    CRC32C of slot 0's page    |
 *                                              +-------------------------------+
 *                                              |           Reserved            |
 *                                              +-------------------------------+
 *                                              |  ... n entries of 16 bytes    |
 *                                              +-------------------------------+
 * </pre>
 *
 * The file header is written once, when the file is created, and never changes. The doublewrite header describes
 * the last batch of pages written through the doublewrite slots, one 16-byte entry per slot: the page id of the
 * copy and the checksum the copy carries, so that a slot left over from an earlier batch never passes for part of
 * this one; see {@link Doublewrite}.
 */
final class PageFileLayout
{
    static final int MAGIC = 0x47504D54; // "TMPG" read little-endian

    static final long FILE_HEADER_PAGE = 0;
    static final long DOUBLEWRITE_HEADER_PAGE = 1;
    static final long FIRST_DOUBLEWRITE_SLOT = 2;

    static final int MAGIC_OFFSET = PageLayout.HEADER_LENGTH;
    static final int PAGE_SIZE_OFFSET = MAGIC_OFFSET + 4;
    static final int DOUBLEWRITE_SLOTS_OFFSET = PAGE_SIZE_OFFSET + 4;
    static final int EXTENT_PAGES_OFFSET = DOUBLEWRITE_SLOTS_OFFSET + 4;
    static final int FIRST_DATA_PAGE_OFFSET = EXTENT_PAGES_OFFSET + 4;

    static final int BATCH_SEQUENCE_OFFSET = PageLayout.HEADER_LENGTH;
    static final int BATCH_COUNT_OFFSET = BATCH_SEQUENCE_OFFSET + 8;
    static final int BATCH_ENTRIES_OFFSET = BATCH_COUNT_OFFSET + 8;
    static final int BATCH_ENTRY_LENGTH = 16;
    static final int ENTRY_PAGE_ID_OFFSET = 0;
    static final int ENTRY_CRC_OFFSET = 8;

    /** Bytes of a page file's start that hold everything needed to learn its page size. */
    static final int PROBE_LENGTH = FIRST_DATA_PAGE_OFFSET + 8;

    private PageFileLayout()
    {
    }

    static long firstDataPage(final int doublewriteSlots)
    {
        return FIRST_DOUBLEWRITE_SLOT + doublewriteSlots;
    }

    static void writeFileHeader(final ByteBuffer page, final int pageSize, final int doublewriteSlots,
        final int extentPages)
    {
        PageLayout.format(page, FILE_HEADER_PAGE, PageLayout.TYPE_FILE_HEADER);
        page.putInt(MAGIC_OFFSET, MAGIC);
        page.putInt(PAGE_SIZE_OFFSET, pageSize);
        page.putInt(DOUBLEWRITE_SLOTS_OFFSET, doublewriteSlots);
        page.putInt(EXTENT_PAGES_OFFSET, extentPages);
        page.putLong(FIRST_DATA_PAGE_OFFSET, firstDataPage(doublewriteSlots));
    }

    static void writeDoublewriteHeader(final ByteBuffer page, final long sequence, final long[] pageIds,
        final int[] checksums, final int count)
    {
        PageLayout.format(page, DOUBLEWRITE_HEADER_PAGE, PageLayout.TYPE_DOUBLEWRITE);
        page.putLong(BATCH_SEQUENCE_OFFSET, sequence);
        page.putInt(BATCH_COUNT_OFFSET, count);
        for (int i = 0; i < count; i++)
        {
            page.putLong(entryOffset(i) + ENTRY_PAGE_ID_OFFSET, pageIds[i]);
            page.putInt(entryOffset(i) + ENTRY_CRC_OFFSET, checksums[i]);
        }
    }

    static int entryOffset(final int slot)
    {
        return BATCH_ENTRIES_OFFSET + slot * BATCH_ENTRY_LENGTH;
    }

    /** @return the most doublewrite slots a header page of {@code pageSize} can describe. */
    static int maxDoublewriteSlots(final int pageSize)
    {
        return (pageSize - BATCH_ENTRIES_OFFSET) / BATCH_ENTRY_LENGTH;
    }
}
