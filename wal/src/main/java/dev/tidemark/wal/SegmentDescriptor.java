package dev.tidemark.wal;

import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of the header at the start of every WAL segment file (little-endian).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         Magic 'TMWL'                          |  0
 *  +-------------------------------+-------------------------------+
 *  |        Format Version         |         Header Length         |  4
 *  +-------------------------------+-------------------------------+
 *  |                          First LSN                            |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Segment Length (bytes)                     | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Segment Index                             | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 CRC32C of bytes [0, 32)                       | 32
 *  +---------------------------------------------------------------+
 *  |                  zero padding up to byte 64                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A header of all zeros marks a preallocated segment that has not been put to use yet.
 *
 * <p>Version rules: bump {@link #FORMAT_VERSION} whenever the header or the frame layout
 * ({@link FrameDescriptor}) changes in a way an older reader would misread; a reader refuses versions it does
 * not know. Adding meaning to bytes that are zero today, where zero keeps the old meaning, needs no bump.
 */
final class SegmentDescriptor
{
    static final int MAGIC = 0x4C574D54; // "TMWL" read little-endian
    static final short FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 64;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int HEADER_LENGTH_OFFSET = 6;
    static final int FIRST_LSN_OFFSET = 8;
    static final int SEGMENT_LENGTH_OFFSET = 16;
    static final int SEGMENT_INDEX_OFFSET = 24;
    static final int HEADER_CRC_OFFSET = 32;

    private SegmentDescriptor()
    {
    }

    static void write(
        final MutableDirectBuffer buffer, final long firstLsn, final long segmentLength, final long segmentIndex)
    {
        buffer.setMemory(0, HEADER_LENGTH, (byte)0);
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putShort(VERSION_OFFSET, FORMAT_VERSION);
        buffer.putShort(HEADER_LENGTH_OFFSET, (short)HEADER_LENGTH);
        buffer.putLong(FIRST_LSN_OFFSET, firstLsn);
        buffer.putLong(SEGMENT_LENGTH_OFFSET, segmentLength);
        buffer.putLong(SEGMENT_INDEX_OFFSET, segmentIndex);
        buffer.putInt(HEADER_CRC_OFFSET, headerCrc(buffer));
    }

    static int headerCrc(final DirectBuffer buffer)
    {
        final byte[] bytes = new byte[HEADER_CRC_OFFSET];
        buffer.getBytes(0, bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int)crc.getValue();
    }

    static boolean isBlank(final DirectBuffer buffer)
    {
        for (int i = 0; i < HEADER_LENGTH; i += Long.BYTES)
        {
            if (buffer.getLong(i) != 0)
            {
                return false;
            }
        }
        return true;
    }

    static String fileName(final long segmentIndex)
    {
        return String.format("%020d.wal", segmentIndex);
    }

    /** @return the segment index encoded in a file name, or -1 when the name is not a segment's. */
    static long parseFileName(final String name)
    {
        if (name.length() != 24 || !name.endsWith(".wal"))
        {
            return -1;
        }
        for (int i = 0; i < 20; i++)
        {
            if (!Character.isDigit(name.charAt(i)))
            {
                return -1;
            }
        }
        return Long.parseLong(name.substring(0, 20));
    }
}
