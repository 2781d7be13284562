package dev.tidemark;

import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of the log records the engine writes (little-endian); spec in {@code docs/format/txn.md}.
 *
 * <pre>
 *  commit (type 32), abort (type 33):
 *   0 u8 version (1) | 1 u8 0 | 2 u16 0 | 4 u32 0
 *   8 u64 transaction id
 *  16 u64 prev LSN (the transaction's previous record; 0 when none)
 *  24 u64 wall-clock time, milliseconds since the epoch
 *
 *  checkpoint begin (type 34):
 *   0 u8 version (1) | 1 u8 0 | 2 u16 0 | 4 u32 0
 *   8 u64 next transaction id
 *  16 u64 last commit timestamp
 *  24 u64 wall-clock time, milliseconds since the epoch
 *
 *  checkpoint end (type 35): the checkpoint's tables, see {@link CheckpointTables}
 * </pre>
 */
final class TxnRecords
{
    static final int COMMIT = 32;
    static final int ABORT = 33;
    static final int CHECKPOINT_BEGIN = 34;
    static final int CHECKPOINT_END = 35;
    static final int VERSION = 1;
    static final int LENGTH = 32;

    private TxnRecords()
    {
    }

    static void write(final MutableDirectBuffer to, final long first, final long second, final long wallClock)
    {
        to.putByte(0, (byte)VERSION);
        to.putByte(1, (byte)0);
        to.putShort(2, (short)0);
        to.putInt(4, 0);
        to.putLong(8, first);
        to.putLong(16, second);
        to.putLong(24, wallClock);
    }
}
