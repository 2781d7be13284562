package dev.tidemark;

import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.MvccStore;
import dev.tidemark.mvcc.MvccStoreOptions;
import dev.tidemark.mvcc.RedoReport;
import dev.tidemark.mvcc.WriteTxn;
import dev.tidemark.wal.WriteAheadLog;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Restart recovery of a database that was not closed cleanly (ARIES: Mohan et al., TODS 1992), run by
 * {@link Database#open} before it returns.
 *
 * <ol>
 *   <li><b>Analysis and redo</b>, one read of the log from the oldest record it kept (a checkpoint retires the log
 *       only below both its flush point and the first record of every running writer, so this covers every
 *       change not on disk and every record of every transaction still running at the crash): every page
 *       operation is repeated on each page whose page LSN is below it ({@link MvccStore#redo}), repeating history
 *       including the changes of transactions that will be rolled back and the compensations of rollbacks under
 *       way; commit and abort records are collected.</li>
 *   <li><b>Undo</b>: every transaction that wrote but has neither a commit nor an abort record (a loser) is rolled
 *       back logically from its last record ({@link MvccStore#rollback}): each change is undone where its key
 *       lives now, logged as a compensation record whose undo-next LSN skips it, so that a crash during undo
 *       resumes where it stopped; compensation records already in the log are skipped the same way. Structure
 *       changes (splits, merges, page allocation) are not undone. An abort record ends each. Then pages that no
 *       tree reaches and that are not free (allocated by a change whose referring record never reached the log)
 *       are freed, logged.</li>
 * </ol>
 * Redo runs on a store opened without its catalog (whose pages on disk may be older than each other until redo
 * ran); undo on a store opened without a garbage collector and with a commit table in which every transaction in
 * the log is committed except the losers. After each pass the store is closed (writing every page it changed), so
 * that the next open reads the catalog and free pages as the log left them. A crash during recovery is recovered by running it
 * again.
 */
final class Recovery
{
    private Recovery()
    {
    }

    static RecoveryReport run(final MvccStoreOptions storeOptions, final WriteAheadLog wal)
    {
        final long startNanos = System.nanoTime();
        final Set<Long> ended = new HashSet<>();
        final long[] commits = new long[1];
        final long[] maxId = new long[1];
        final RedoReport redo;
        final Set<Long> losers = new HashSet<>();
        final CommitTable table = new CommitTable()
        {
            @Override
            public long commitTimestamp(final long transactionId)
            {
                return losers.contains(transactionId) ? NOT_COMMITTED : 0;
            }

            @Override
            public long pruneHorizon()
            {
                return 0;
            }
        };
        final long fromLsn = wal.firstLsn();
        try (MvccStore store = MvccStore.openForRedo(storeOptions, wal))
        {
            redo = store.redo(fromLsn, (lsn, type, payload, length) ->
            {
                CrashPoints.reached(CrashPoint.RECOVERY_REDO);
                if (type == TxnRecords.COMMIT || type == TxnRecords.ABORT)
                {
                    final long id = payload.getLong(8);
                    ended.add(id);
                    maxId[0] = Math.max(maxId[0], id);
                    commits[0] += type == TxnRecords.COMMIT ? 1 : 0;
                }
            });
        }
        final long redoneNanos = System.nanoTime();
        final Map<Long, Long> toUndo = new TreeMap<>();
        redo.lastLsnByTransaction().forEach((id, lsn) ->
        {
            if (!ended.contains(id))
            {
                toUndo.put(id, lsn);
            }
        });
        losers.addAll(toUndo.keySet());
        final int reclaimed;
        try (MvccStore store = MvccStore.open(storeOptions, wal, table))
        {
            final UnsafeBuffer record = new UnsafeBuffer(new byte[TxnRecords.LENGTH]);
            for (final Map.Entry<Long, Long> loser : toUndo.entrySet())
            {
                final WriteTxn txn = WriteTxn.recovered(loser.getKey(), loser.getValue());
                store.rollback(txn, 0);
                CrashPoints.reached(CrashPoint.RECOVERY_UNDO);
                TxnRecords.write(record, txn.id(), txn.lastLsn(), System.currentTimeMillis());
                wal.append(TxnRecords.ABORT, record, 0, TxnRecords.LENGTH, Durability.NONE);
            }
            // pages allocated by a change whose referring record never reached the log
            reclaimed = store.reclaimLeakedPages();
            wal.awaitDurable(wal.lastAppendedLsn());
        }
        final long undoneNanos = System.nanoTime();
        return new RecoveryReport(fromLsn, Math.max(redo.toLsn(), 0), redo.records(), redo.bytes(),
            redo.pagesRedone(), commits[0], toUndo.size(), Duration.ofNanos(redoneNanos - startNanos),
            Duration.ofNanos(undoneNanos - redoneNanos), reclaimed, Math.max(maxId[0], redo.maxTransactionId()));
    }
}
