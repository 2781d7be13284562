package dev.tidemark.snapshot;

import dev.tidemark.CrashPoint;
import dev.tidemark.CrashPoints;
import dev.tidemark.Durability;
import dev.tidemark.StorageIOException;
import dev.tidemark.io.FileIo;
import dev.tidemark.mvcc.PageStore;
import dev.tidemark.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One fuzzy checkpoint (ARIES), taken while transactions run; spec in {@code docs/format/txn.md}:
 * <ol>
 *   <li>a CHECKPOINT_BEGIN record at LSN <i>b</i>;</li>
 *   <li>the log forced to <i>b</i> and every page whose recLSN is at or below <i>b</i> written (not needed for
 *       correctness: it keeps the next restart's redo short and lets the log below go);</li>
 *   <li>the active-transaction table and the buffer pool's dirty-page table read, and logged in a CHECKPOINT_END
 *       record, forced;</li>
 *   <li>the master record replaced, naming both records;</li>
 *   <li>the log retired below the lowest of <i>b</i>, the oldest recLSN and every writer's first LSN.</li>
 * </ol>
 * The caller keeps two checkpoints from running at once.
 */
public final class Checkpoint
{
    private Checkpoint()
    {
    }

    /**
     * Takes a checkpoint of the database in {@code directory}.
     *
     * @param closing whether this is a clean close's last checkpoint, after which nothing changes (a master record
     *                flag that lets the next open skip recovery)
     * @return where it ended
     * @throws StorageIOException when the master record cannot be written
     */
    public static CheckpointMark take(final WriteAheadLog wal, final PageStore pages, final TransactionTable txns,
        final FileIo io, final Path directory, final int walSegmentSize, final boolean closing)
    {
        final UnsafeBuffer begin = new UnsafeBuffer(new byte[TxnRecords.LENGTH]);
        TxnRecords.write(begin, txns.nextTransactionId(), txns.lastCommitTimestamp(), System.currentTimeMillis());
        final long beginLsn = wal.append(TxnRecords.CHECKPOINT_BEGIN, begin, 0, TxnRecords.LENGTH, Durability.NONE);
        wal.awaitDurable(beginLsn);
        pages.flushUpTo(beginLsn);
        CrashPoints.reached(CrashPoint.CHECKPOINT_TABLES_NOT_LOGGED);
        // a dirty-page table longer than 1/16 of a segment is not logged: redo then looks at every change
        final UnsafeBuffer tables = CheckpointTables.encode(beginLsn, txns.activeWriters(), pages.dirtyPages(),
            walSegmentSize / (16 * CheckpointTables.ENTRY));
        final long endLsn = wal.append(TxnRecords.CHECKPOINT_END, tables, 0, tables.capacity(), Durability.SYNC);
        CrashPoints.reached(CrashPoint.CHECKPOINT_BEFORE_MASTER_RECORD);
        try
        {
            new MasterRecord(beginLsn, endLsn, txns.nextTransactionId(), txns.lastCommitTimestamp(),
                pages.pageSize(), closing).write(io, directory);
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("cannot write the master record of " + directory + ": " + ex.getMessage(),
                ex);
        }
        wal.retireBelow(CheckpointTables.retainFrom(tables));
        return new CheckpointMark(endLsn, wal.writtenPosition(), System.nanoTime());
    }
}
