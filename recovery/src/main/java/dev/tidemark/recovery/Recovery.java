package dev.tidemark.recovery;

import dev.tidemark.CorruptionException;
import dev.tidemark.CrashPoint;
import dev.tidemark.CrashPoints;
import dev.tidemark.Durability;
import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.MvccStore;
import dev.tidemark.mvcc.MvccStoreOptions;
import dev.tidemark.mvcc.RedoReport;
import dev.tidemark.mvcc.RedoScope;
import dev.tidemark.mvcc.WriteTxn;
import dev.tidemark.snapshot.CheckpointTables;
import dev.tidemark.snapshot.TxnRecords;
import dev.tidemark.wal.WriteAheadLog;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restart recovery of a database that was not closed cleanly (ARIES: Mohan et al., TODS 1992), run by
 * {@code Database.open} before it returns.
 *
 * <ol>
 *   <li><b>Analysis and redo</b>, one read of the log in LSN order. It starts at the last complete checkpoint
 *       (named by the master record): at the lowest of its begin record, the oldest recLSN of its dirty-page table
 *       and the first record of every writer in its active-transaction table ({@link CheckpointTables}), so that it
 *       sees every change not on disk and every record of every transaction that may have been running at the
 *       crash. Analysis keeps the checkpoint's dirty-page table current as it reads (a page changed after the begin
 *       record enters it at that change) and redo repeats a page operation only on a page in that table, from its
 *       recLSN on, and only where the page LSN is below the record ({@link MvccStore#redo}): a page outside the
 *       table is not even read. History is repeated, the changes of transactions that will be rolled back and the
 *       compensations of rollbacks under way included; commit and abort records are collected. A master record of
 *       version 1 has no tables: then the pass reads the whole log kept and looks at every page change.</li>
 *   <li><b>Undo</b>: every transaction that wrote but has neither a commit nor an abort record (a loser) is rolled
 *       back, all of them together in reverse LSN order, logically from its last record
 *       ({@link MvccStore#rollback}): each change is undone where its key lives now, logged as a compensation
 *       record whose undo-next LSN skips it, so that a crash during undo resumes where it stopped; compensation
 *       records already in the log are skipped the same way. Structure changes (splits, merges, page allocation)
 *       are not undone. An abort record ends each. Then pages that no
 *       tree reaches and that are not free (allocated by a change whose referring record never reached the log)
 *       are freed, logged.</li>
 * </ol>
 * Redo runs on a store opened without its catalog (whose pages on disk may be older than each other until redo
 * ran); undo on a store opened without a garbage collector and with a commit table in which every transaction in
 * the log is committed except the losers. After each pass the store is closed (writing every page it changed), so
 * that the next open reads the catalog and free pages as the log left them. A crash during recovery is recovered by
 * running it again. Both passes log their progress (INFO) every 2 s.
 */
public final class Recovery
{
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Recovery()
    {
    }

    /**
     * @param tables the tables of the last complete checkpoint, or null when the master record has none (version 1):
     *               then the whole log kept is read and every page change in it looked at
     */
    public static RecoveryReport run(final MvccStoreOptions storeOptions, final WriteAheadLog wal,
        final CheckpointTables tables)
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
        final long fromLsn = tables == null ? wal.firstLsn() : tables.analysisLsn();
        if (fromLsn < wal.firstLsn())
        {
            throw new CorruptionException(storeOptions.pages().file(), 0, "the last checkpoint needs the log from "
                + "LSN " + fromLsn + " but the log starts at LSN " + wal.firstLsn() + "; restore the database from a "
                + "backup");
        }
        final RedoScope scope = tables == null ? RedoScope.ALL : tables.scope();
        try (MvccStore store = MvccStore.openForRedo(storeOptions, wal))
        {
            redo = store.redo(fromLsn, scope, (lsn, type, payload, length) ->
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
            // the losers' changes are undone in reverse LSN order across all of them, as ARIES does: the loser
            // with the highest next record to undo goes back to the next-highest one's, and so on
            final PriorityQueue<Undo> pending = new PriorityQueue<>((a, b) -> Long.compare(b.next, a.next));
            toUndo.forEach((id, lastLsn) -> pending.add(new Undo(WriteTxn.recovered(id, lastLsn), lastLsn)));
            long reportedAt = System.nanoTime();
            while (!pending.isEmpty())
            {
                if (System.nanoTime() - reportedAt > PROGRESS_NANOS)
                {
                    reportedAt = System.nanoTime();
                    LOG.info("restart undo: {} of {} transactions left to roll back, the next record to undo at "
                        + "LSN {}", pending.size(), toUndo.size(), pending.peek().next);
                }
                final Undo top = pending.poll();
                final Undo second = pending.peek();
                top.next = store.rollback(top.txn, second == null ? 0 : second.next);
                if (top.next > 0)
                {
                    pending.add(top);
                    continue;
                }
                CrashPoints.reached(CrashPoint.RECOVERY_UNDO);
                TxnRecords.write(record, top.txn.id(), top.txn.lastLsn(), System.currentTimeMillis());
                wal.append(TxnRecords.ABORT, record, 0, TxnRecords.LENGTH, Durability.NONE);
            }
            // pages allocated by a change whose referring record never reached the log
            reclaimed = store.reclaimLeakedPages();
            wal.awaitDurable(wal.lastAppendedLsn());
        }
        final long undoneNanos = System.nanoTime();
        return new RecoveryReport(tables == null ? 0 : tables.beginLsn(), fromLsn, Math.max(redo.toLsn(), 0),
            redo.records(), redo.bytes(), redo.pagesRedone(), redo.pagesSkipped(), redo.passTime(), commits[0],
            toUndo.size(), Duration.ofNanos(redoneNanos - startNanos), Duration.ofNanos(undoneNanos - redoneNanos),
            reclaimed, Math.max(maxId[0], redo.maxTransactionId()));
    }

    /** A loser being rolled back, and the LSN of its next record to undo. */
    private static final class Undo
    {
        final WriteTxn txn;
        long next;

        Undo(final WriteTxn txn, final long next)
        {
            this.txn = txn;
            this.next = next;
        }
    }
}
