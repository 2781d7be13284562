package dev.tidemark.snapshot;

import dev.tidemark.CorruptionException;
import dev.tidemark.UnsupportedFormatException;
import dev.tidemark.mvcc.RedoScope;
import dev.tidemark.wal.WalCursor;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The tables of a fuzzy checkpoint, logged in its CHECKPOINT_END record (type {@value TxnRecords#CHECKPOINT_END};
 * spec in {@code docs/format/txn.md}): the active-transaction table (every transaction that had become a writer,
 * with a lower bound of its first record's LSN) and the dirty-page table (page id to recLSN) as they were after the
 * checkpoint's begin record. Both are captured while transactions run, so they may be out of date by the time the
 * end record is written; restart analysis brings them up to date from the log after the begin record.
 *
 * <pre>
 *   0 u8 version (1) | 1 u8 flags: bit 0 = the dirty-page table is complete | 2 u16 0 | 4 u32 0
 *   8 u64 begin LSN (the CHECKPOINT_BEGIN record)
 *  16 u64 redo LSN: the lowest recLSN in the table, or the begin LSN when no page was dirty
 *  24 u32 transactions | 28 u32 pages
 *  32 transactions x (u64 transaction id, u64 lower bound of its first LSN)
 *     pages x (u64 page id, u64 recLSN)
 * </pre>
 */
public final class CheckpointTables
{
    public static final int VERSION = 1;
    public static final int HEADER = 32;
    public static final int ENTRY = 16;
    private static final int COMPLETE = 1;

    private final long beginLsn;
    private final long redoLsn;
    private final long analysisLsn;
    private final boolean complete;
    private final Long2LongHashMap pages;

    private CheckpointTables(final long beginLsn, final long redoLsn, final long analysisLsn,
        final boolean complete, final Long2LongHashMap pages)
    {
        this.beginLsn = beginLsn;
        this.redoLsn = redoLsn;
        this.analysisLsn = analysisLsn;
        this.complete = complete;
        this.pages = pages;
    }

    /**
     * Encodes the tables of the checkpoint that began at {@code beginLsn}.
     *
     * @param writers  transaction id to the lower bound of its first LSN, for every transaction that became a writer
     * @param dirty    the dirty-page table: page id to recLSN
     * @param maxPages the most pages the record may list; with more, it holds only the redo LSN and redo looks at
     *                 every page changed from there
     * @return the record's payload
     */
    public static UnsafeBuffer encode(final long beginLsn, final Map<Long, Long> writers, final Map<Long, Long> dirty,
        final int maxPages)
    {
        final boolean complete = dirty.size() <= maxPages;
        final int pageCount = complete ? dirty.size() : 0;
        final UnsafeBuffer out = new UnsafeBuffer(new byte[HEADER + ENTRY * (writers.size() + pageCount)]);
        long redoLsn = beginLsn;
        for (final long recLsn : dirty.values())
        {
            redoLsn = Math.min(redoLsn, recLsn);
        }
        out.putByte(0, (byte)VERSION);
        out.putByte(1, (byte)(complete ? COMPLETE : 0));
        out.putLong(8, beginLsn);
        out.putLong(16, redoLsn);
        out.putInt(24, writers.size());
        out.putInt(28, pageCount);
        int at = put(out, HEADER, writers);
        if (complete)
        {
            put(out, at, dirty);
        }
        return out;
    }

    private static int put(final MutableDirectBuffer out, final int from, final Map<Long, Long> entries)
    {
        int at = from;
        for (final Map.Entry<Long, Long> entry : entries.entrySet())
        {
            out.putLong(at, entry.getKey());
            out.putLong(at + 8, entry.getValue());
            at += ENTRY;
        }
        return at;
    }

    /**
     * @return the lowest LSN the log must keep for this checkpoint to be recovered from: its begin record, the
     * oldest change of a dirty page, the first record of every writer running at the checkpoint
     */
    public static long retainFrom(final DirectBuffer record)
    {
        long lowest = Math.min(record.getLong(8), record.getLong(16));
        final int writers = record.getInt(24);
        for (int i = 0; i < writers; i++)
        {
            lowest = Math.min(lowest, record.getLong(HEADER + i * ENTRY + 8));
        }
        return lowest;
    }

    /**
     * Reads the CHECKPOINT_END record at {@code endLsn} that the master record names.
     *
     * @throws CorruptionException when the log does not hold it, or it is not the end of the checkpoint that began
     *                             at {@code beginLsn}
     */
    public static CheckpointTables read(final WriteAheadLog wal, final Path walDirectory, final long beginLsn,
        final long endLsn)
    {
        if (endLsn < wal.firstLsn() || endLsn > wal.lastAppendedLsn())
        {
            throw new CorruptionException(walDirectory, endLsn, "the master record names the checkpoint record "
                + "at LSN " + endLsn + " but the log holds LSNs " + wal.firstLsn() + " to " + wal.lastAppendedLsn()
                + "; restore the database from a backup");
        }
        try (WalCursor cursor = wal.cursor(endLsn))
        {
            if (!cursor.next() || cursor.lsn() != endLsn || cursor.type() != TxnRecords.CHECKPOINT_END)
            {
                throw new CorruptionException(walDirectory, endLsn, "the log record at LSN " + endLsn
                    + " is not the checkpoint record the master record names; restore the database from a backup");
            }
            return decode(cursor.payload(), cursor.payloadLength(), beginLsn, walDirectory);
        }
    }

    public static CheckpointTables decode(final DirectBuffer record, final int length, final long beginLsn,
        final Path walDirectory)
    {
        if (length < HEADER || record.getByte(0) != VERSION)
        {
            throw new UnsupportedFormatException("the checkpoint record of the log in " + walDirectory
                + " has version " + (length < 1 ? "none" : record.getByte(0)) + "; this build reads version "
                + VERSION);
        }
        final int writers = record.getInt(24);
        final int pageCount = record.getInt(28);
        if (record.getLong(8) != beginLsn || length != HEADER + ENTRY * ((long)writers + pageCount))
        {
            throw new CorruptionException(walDirectory, beginLsn, "the checkpoint record does not match the "
                + "checkpoint that began at LSN " + beginLsn + "; restore the database from a backup");
        }
        final Long2LongHashMap pages = new Long2LongHashMap(Math.max(8, pageCount * 2), 0.65f, -1);
        final int pagesAt = HEADER + writers * ENTRY;
        for (int i = 0; i < pageCount; i++)
        {
            pages.put(record.getLong(pagesAt + i * ENTRY), record.getLong(pagesAt + i * ENTRY + 8));
        }
        return new CheckpointTables(beginLsn, record.getLong(16), retainFrom(record),
            (record.getByte(1) & COMPLETE) != 0, pages);
    }

    /** @return the LSN of the checkpoint's begin record */
    public long beginLsn()
    {
        return beginLsn;
    }

    /** @return where restart analysis starts: the lowest of the begin LSN, redo LSN and writers' first LSNs */
    public long analysisLsn()
    {
        return analysisLsn;
    }

    /** @return the lowest recLSN of the checkpoint's dirty-page table */
    public long redoLsn()
    {
        return redoLsn;
    }

    /**
     * The dirty-page table as analysis brings it up to date while the log is read in order: a page changed after
     * the begin record and not in the table enters it at that change; a page not in the table and changed before
     * the begin record was written with that change before the table was taken (a page enters the table, latched,
     * before its change is logged), so it needs no redo. The exception is a page freed without that protection
     * (see {@code docs/format/txn.md}): it stays unreachable with its old contents until recovery frees it again.
     */
    public RedoScope scope()
    {
        return (pageId, lsn) ->
        {
            final long recLsn = pages.get(pageId);
            if (recLsn >= 0)
            {
                return lsn >= recLsn;
            }
            if (lsn > beginLsn)
            {
                pages.put(pageId, lsn);
                return true;
            }
            return !complete && lsn >= redoLsn;
        };
    }
}
