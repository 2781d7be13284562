package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of an overflow page ({@link #TYPE_OVERFLOW}): one link of a chain that holds a large value or a
 * spilled version chain. Offsets from the start of the page body, little-endian.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Next overflow page (0 = last)                 |  0
 *  +-------------------------------+-------------------------------+
 *  |        Bytes in this page     |          Reserved (0)         |  8
 *  +-------------------------------+-------------------------------+
 *  |                             Data                             ...  16
 * </pre>
 */
final class OverflowLayout
{
    static final int TYPE_OVERFLOW = 18;
    static final int NEXT_OFFSET = 0;
    static final int USED_OFFSET = 8;
    static final int HEADER_LENGTH = 16;

    private OverflowLayout()
    {
    }

    static int dataCapacity(final int bodySize)
    {
        return bodySize - HEADER_LENGTH;
    }

    static long next(final DirectBuffer body)
    {
        return body.getLong(NEXT_OFFSET);
    }

    static int used(final DirectBuffer body)
    {
        return body.getInt(USED_OFFSET);
    }

    static void write(final MutableDirectBuffer body, final long next, final DirectBuffer data, final int offset,
        final int length)
    {
        body.setMemory(0, body.capacity(), (byte)0);
        body.putLong(NEXT_OFFSET, next);
        body.putInt(USED_OFFSET, length);
        body.putBytes(HEADER_LENGTH, data, offset, length);
    }
}
