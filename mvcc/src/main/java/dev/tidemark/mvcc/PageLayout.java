package dev.tidemark.mvcc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Byte layout of the 32-byte header at the start of every page (little-endian), and the checks a page read from
 * disk must pass.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                           Page LSN                            |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         CRC32C of the page, this field taken as zero          |  8
 *  +-------------------------------+---------------+---------------+
 *  |        Format Version         |   Page Type   |   Reserved    | 12
 *  +-------------------------------+---------------+---------------+
 *  |                            Page Id                            | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Reserved (zero)                        | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Body: page size - 32 bytes                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A page whose bytes are all zero was never written (a page of a fresh extent): it reads as {@link #TYPE_NONE},
 * LSN 0, and is free. Every other page must carry a matching CRC32C, a known format version and its own page id
 * (a page found at the wrong place is a misdirected write).
 *
 * <p>Version rules: bump {@link #FORMAT_VERSION} when a header field, the file header or the doublewrite header
 * ({@link PageFileLayout}) changes meaning, size or place. Giving meaning to bytes that are zero today, where zero
 * keeps the old meaning, needs no bump. A reader refuses a version it does not know and changes nothing.
 */
final class PageLayout
{
    static final short FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 32;

    static final int LSN_OFFSET = 0;
    static final int CRC_OFFSET = 8;
    static final int VERSION_OFFSET = 12;
    static final int TYPE_OFFSET = 14;
    static final int PAGE_ID_OFFSET = 16;

    /** Never written: all zeros. */
    static final int TYPE_NONE = 0;
    /** Page 0: the file header ({@link PageFileLayout}). */
    static final int TYPE_FILE_HEADER = 1;
    /** The doublewrite header page. */
    static final int TYPE_DOUBLEWRITE = 2;
    /** A freed page, available for reuse. */
    static final int TYPE_FREE = 3;
    /** The smallest type the layers above may use; 0..15 belong to the page file. */
    static final int FIRST_USER_TYPE = 16;
    static final int MAX_TYPE = 255;

    static final int MIN_PAGE_SIZE = 4 << 10;
    static final int MAX_PAGE_SIZE = 64 << 10;
    static final int DEFAULT_PAGE_SIZE = 8 << 10;

    /** What a page read from disk turned out to be. */
    enum Check
    {
        VALID,
        ZERO,
        BAD_CHECKSUM,
        WRONG_PAGE_ID,
        UNKNOWN_VERSION
    }

    private PageLayout()
    {
    }

    static long lsn(final ByteBuffer page)
    {
        return page.getLong(LSN_OFFSET);
    }

    static int type(final ByteBuffer page)
    {
        return page.get(TYPE_OFFSET) & 0xFF;
    }

    static long pageId(final ByteBuffer page)
    {
        return page.getLong(PAGE_ID_OFFSET);
    }

    /** Writes a fresh header (LSN 0, no checksum yet) and zeroes the rest of the page. */
    static void format(final ByteBuffer page, final long pageId, final int type)
    {
        for (int i = 0; i < page.capacity(); i += Long.BYTES)
        {
            page.putLong(i, 0L);
        }
        page.putShort(VERSION_OFFSET, FORMAT_VERSION);
        page.put(TYPE_OFFSET, (byte)type);
        page.putLong(PAGE_ID_OFFSET, pageId);
    }

    /** Computes the CRC32C of the page and stores it in the header. */
    static void seal(final ByteBuffer page, final CRC32C crc)
    {
        page.putInt(CRC_OFFSET, checksum(page, crc));
    }

    /**
     * CRC32C over bytes {@code [0, 8)} and {@code [12, capacity)}: the whole page with the CRC field left out.
     * Moves no position of {@code page} visible to other threads: it works on a private duplicate.
     */
    static int checksum(final ByteBuffer page, final CRC32C crc)
    {
        final ByteBuffer view = page.duplicate();
        crc.reset();
        view.limit(CRC_OFFSET).position(0);
        crc.update(view);
        view.limit(view.capacity()).position(CRC_OFFSET + Integer.BYTES);
        crc.update(view);
        return (int)crc.getValue();
    }

    /** Checks a page as read from the slot of {@code expectedPageId}. */
    static Check check(final ByteBuffer page, final long expectedPageId, final CRC32C crc)
    {
        if (page.getInt(CRC_OFFSET) == 0 && isZero(page))
        {
            return Check.ZERO;
        }
        if (page.getInt(CRC_OFFSET) != checksum(page, crc))
        {
            return Check.BAD_CHECKSUM;
        }
        if (page.getShort(VERSION_OFFSET) != FORMAT_VERSION)
        {
            return Check.UNKNOWN_VERSION;
        }
        return pageId(page) == expectedPageId ? Check.VALID : Check.WRONG_PAGE_ID;
    }

    static boolean isZero(final ByteBuffer page)
    {
        for (int i = 0; i < page.capacity(); i += Long.BYTES)
        {
            if (page.getLong(i) != 0L)
            {
                return false;
            }
        }
        return true;
    }

    /** @return whether {@code size} is a power of two between 4 KiB and 64 KiB. */
    static boolean isValidPageSize(final long size)
    {
        return size >= MIN_PAGE_SIZE && size <= MAX_PAGE_SIZE && Long.bitCount(size) == 1;
    }

    /** @return a little-endian view of {@code buffer} between {@code from} and {@code from + length}. */
    static ByteBuffer slice(final ByteBuffer buffer, final int from, final int length)
    {
        return buffer.duplicate().limit(from + length).position(from).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
