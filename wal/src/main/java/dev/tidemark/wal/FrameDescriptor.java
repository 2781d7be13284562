package dev.tidemark.wal;

/**
 * Byte layout of one record frame inside a segment (little-endian, frames 8-byte aligned).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |R|                  Frame Length (written last)                |  0
 *  +---------------------------------------------------------------+
 *  |               CRC32C of bytes [8, frame length) + length      |  4
 *  +---------------------------------------------------------------+
 *  |                              LSN                              |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        Durable hint: the log's durable LSN when written        | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         Record Type                           | 24
 *  +---------------------------------------------------------------+
 *  |                     Reserved (zero)                           | 28
 *  +---------------------------------------------------------------+
 *  |                          Payload                             ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The frame length counts header and payload, not the alignment padding. It is stored with release semantics
 * after everything else, so an in-process reader that sees a non-zero length sees the whole frame. The durable
 * hint lets the open-time scan tell a torn tail (bytes after the last force) from damage to forced data: a valid
 * frame whose hint is at least LSN n proves that record n was durable.
 */
final class FrameDescriptor
{
    static final int LENGTH_OFFSET = 0;
    static final int CRC_OFFSET = 4;
    static final int LSN_OFFSET = 8;
    static final int DURABLE_HINT_OFFSET = 16;
    static final int TYPE_OFFSET = 24;
    static final int RESERVED_OFFSET = 28;
    static final int HEADER_LENGTH = 32;
    static final int ALIGNMENT = 8;
    /** LSN of a padding frame: bytes that {@link RecoveryMode#SKIP_CORRUPTED} stepped over; readers skip it. */
    static final long PADDING_LSN = 0;

    private FrameDescriptor()
    {
    }

    static int alignedLength(final int frameLength)
    {
        return (frameLength + ALIGNMENT - 1) & -ALIGNMENT;
    }

    static long alignedFrameLength(final long payloadLength)
    {
        return (HEADER_LENGTH + payloadLength + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
