package dev.tidemark.snapshot;

import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of the transaction and checkpoint log records (little-endian) (little-endian); spec in {@code docs/format/txn.md}.
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
public final class TxnRecords
{
    public static final int COMMIT = 32;
    public static final int ABORT = 33;
    public static final int CHECKPOINT_BEGIN = 34;
    public static final int CHECKPOINT_END = 35;
    public static final int VERSION = 1;
    public static final int LENGTH = 32;

    private TxnRecords()
    {
    }

    public static void write(final MutableDirectBuffer to, final long first, final long second, final long wallClock)
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
