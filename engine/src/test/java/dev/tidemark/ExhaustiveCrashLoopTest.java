package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import dev.tidemark.testkit.history.KvHistory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The exhaustive crash-point loop of {@code TESTING.md} on its fixed workloads: a workload that runs N I/O
 * operations (its transactions, their background writes, and the close) is run again with a crash at each operation
 * k = 1…N, in each crash mode of the simulated file system; the reopened database must meet the {@link KvHistory}
 * oracles (O1–O4) and pass {@code verify()} (O6). Then recovery itself is crashed at each of its own M operations,
 * in turn, and the open after that must reach a state meeting the same oracles (O7).
 *
 * <p>Background threads (the log's journal and allocator, the page writer) make the order of operations vary a
 * little between runs, so index k names "about the k-th operation"; every index is still crashed at. The default
 * build crashes recovery after the workload's middle operation; {@code -Pstress} after every one.
 */
class ExhaustiveCrashLoopTest
{
    private static final Path DIR = Path.of("/db");
    private static final int BASE_KEYS = 150;

    /** The fixed workloads of {@code TESTING.md}, each on a keyspace "k" holding {@value #BASE_KEYS} keys. */
    enum Workload
    {
        ONE_ROW_COMMIT
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                commit(db, ks, history, "w-0001", "one row");
            }
        },
        MULTI_PAGE_COMMIT
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                final KvHistory.Txn record = history.begin();
                try (Transaction txn = db.begin())
                {
                    // a value over several overflow pages, and rows on several leaves
                    put(txn, ks, record, "big", "b".repeat(30_000));
                    for (int i = 0; i < 10; i++)
                    {
                        put(txn, ks, record, String.format("base-%04d", i * 15), "changed " + i);
                    }
                    commit(txn, record);
                }
            }
        },
        COMMIT_ACROSS_A_SPLIT
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                final KvHistory.Txn record = history.begin();
                try (Transaction txn = db.begin())
                {
                    for (int i = 0; i < 120; i++)
                    {
                        put(txn, ks, record, String.format("base-0050-%03d", i), "s".repeat(60));
                    }
                    commit(txn, record);
                }
            }
        },
        ROLLBACK_OF_A_SPLIT
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                try (Transaction txn = db.begin())
                {
                    for (int i = 0; i < 120; i++)
                    {
                        Kv.put(txn, ks, String.format("base-0050-%03d", i), "r".repeat(60));
                    }
                    txn.rollback();
                }
                commit(db, ks, history, "after-rollback", "one row");
            }
        },
        CHECKPOINT_WITH_DIRTY_PAGES
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                commit(db, ks, history, "base-0010", "dirty before the checkpoint");
                commit(db, ks, history, "base-0140", "dirty before the checkpoint");
                db.checkpoint();
                commit(db, ks, history, "base-0070", "after the checkpoint");
            }
        },
        LOG_TRUNCATION
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                // more than a 64 KiB segment of log, then a checkpoint that retires the full segments
                for (int t = 0; t < 3; t++)
                {
                    final KvHistory.Txn record = history.begin();
                    try (Transaction txn = db.begin())
                    {
                        for (int i = 0; i < 40; i++)
                        {
                            put(txn, ks, record, String.format("base-%04d", (t * 40 + i) % BASE_KEYS),
                                t + "-" + "t".repeat(800));
                        }
                        commit(txn, record);
                    }
                }
                db.checkpoint();
                commit(db, ks, history, "after-truncation", "one row");
            }
        },
        LONG_TRANSACTION_BESIDE_SHORT_ONES
        {
            @Override
            void run(final Database db, final Keyspace ks, final KvHistory history)
            {
                final KvHistory.Txn longRecord = history.begin();
                final Transaction running = db.begin();
                try (Transaction longTxn = db.begin())
                {
                    for (int i = 0; i < 5; i++)
                    {
                        put(longTxn, ks, longRecord, String.format("long-%02d", i), "long " + i);
                        Kv.put(running, ks, String.format("loser-%02d", i), "never committed");
                        commit(db, ks, history, String.format("short-%02d", i), "short " + i);
                    }
                    commit(longTxn, longRecord);
                }
                // the second long transaction is still running at the close (rolled back there) or at the crash
            }
        };

        abstract void run(Database db, Keyspace ks, KvHistory history);

        /** Options: a small cache (so pages are written during the workload) and the smallest log segment. */
        DatabaseOptions options(final SimulatedFileSystem fs)
        {
            return DatabaseOptions.builder().fileIo(fs).cacheBytes(24 * 8192).walSegmentSize(64 << 10)
                .checkpointInterval(Duration.ZERO).checkpointLogBytes(0).build();
        }
    }

    private static void put(final Transaction txn, final Keyspace ks, final KvHistory.Txn record, final String key,
        final String value)
    {
        Kv.put(txn, ks, key, value);
        record.put(Kv.b(key), Kv.b(value));
    }

    private static void commit(final Transaction txn, final KvHistory.Txn record)
    {
        record.committing();
        txn.commit();
        record.acknowledged();
    }

    private static void commit(final Database db, final Keyspace ks, final KvHistory history, final String key,
        final String value)
    {
        final KvHistory.Txn record = history.begin();
        try (Transaction txn = db.begin())
        {
            put(txn, ks, record, key, value);
            commit(txn, record);
        }
    }

    /** The base image: the keyspace with its keys, closed cleanly; and the history acknowledging them. */
    private static final class Base
    {
        final SimulatedFileSystem image;

        Base(final Workload workload)
        {
            final SimulatedFileSystem fs = new SimulatedFileSystem(workload.ordinal() + 1);
            try (Database db = Database.open(DIR, workload.options(fs)))
            {
                final Keyspace ks = db.keyspace("k");
                try (Transaction txn = db.begin())
                {
                    for (int i = 0; i < BASE_KEYS; i++)
                    {
                        Kv.put(txn, ks, String.format("base-%04d", i), "base value " + i);
                    }
                    txn.commit();
                }
            }
            image = fs.crash(CrashMode.DROP_ALL, 0);
        }

        /** @return a history whose first transaction, acknowledged, wrote the base keys */
        KvHistory history()
        {
            final KvHistory history = new KvHistory();
            final KvHistory.Txn record = history.begin();
            for (int i = 0; i < BASE_KEYS; i++)
            {
                record.put(Kv.b(String.format("base-%04d", i)), Kv.b("base value " + i));
            }
            record.committing();
            record.acknowledged();
            return history;
        }

        /** @return a machine booted from the base image */
        SimulatedFileSystem boot()
        {
            return image.crash(CrashMode.DROP_ALL, 0);
        }
    }

    /** A workload run on {@code fs}, crashed at operation {@code crashAt} of it (0: not crashed). */
    private static KvHistory runCrashed(final Workload workload, final Base base, final SimulatedFileSystem fs,
        final long crashAt)
    {
        final KvHistory history = base.history();
        final Database db = Database.open(DIR, workload.options(fs));
        fs.faults().resetCounts();
        if (crashAt > 0)
        {
            fs.faults().crashAtOperation(crashAt);
        }
        try
        {
            workload.run(db, db.keyspace("k"), history);
            db.close();
        }
        catch (final RuntimeException ex)
        {
            if (!fs.isHalted())
            {
                throw ex;
            }
            // the machine crashed under the workload or its close
            closeQuietly(db);
        }
        return history;
    }

    private static void closeQuietly(final Database db)
    {
        try
        {
            db.close();
        }
        catch (final RuntimeException expected)
        {
            // its file system halted: the close cannot write
        }
    }

    private static void check(final Workload workload, final SimulatedFileSystem fs, final KvHistory history,
        final String context)
    {
        try (Database db = Database.open(DIR, workload.options(fs)))
        {
            final Map<byte[], byte[]> found = Kv.committedBytes(db, db.findKeyspace("k").orElseThrow());
            assertThat(history.check(found)).as(context).isEmpty();
            assertThat(db.verify().problems()).as(context).isEmpty();
        }
    }

    /** @return the I/O operations of recovering {@code crashed}, counted on a copy */
    private static long recoveryOperations(final Workload workload, final SimulatedFileSystem crashed)
    {
        final SimulatedFileSystem copy = crashed.crash(CrashMode.DROP_ALL, 0);
        try (Database db = Database.open(DIR, workload.options(copy)))
        {
            return copy.faults().operationCount();
        }
    }

    private static void loop(final Workload workload, final boolean everyRecovery)
    {
        final Base base = new Base(workload);
        final SimulatedFileSystem counting = base.boot();
        runCrashed(workload, base, counting, 0);
        final long operations = counting.faults().operationCount();
        assertThat(operations).as("operations of %s", workload).isGreaterThan(0);
        long recoveries = 0;
        for (long k = 1; k <= operations; k++)
        {
            for (final CrashMode mode : CrashMode.values())
            {
                final SimulatedFileSystem fs = base.boot();
                final KvHistory history = runCrashed(workload, base, fs, k);
                final SimulatedFileSystem rebooted = fs.crash(mode, k);
                final String context = workload + ", crash at operation " + k + " of " + operations + ", " + mode;
                final boolean crashRecovery = everyRecovery ? mode.ordinal() == k % CrashMode.values().length
                    : k == operations / 2 && mode == CrashMode.RANDOM_PREFIX;
                if (crashRecovery)
                {
                    recoveries += crashRecoveryEverywhere(workload, rebooted, history, context);
                }
                // the recovery loop booted copies of the machine, which halts the original: boot one more
                check(workload, crashRecovery ? rebooted.crash(CrashMode.DROP_ALL, 0) : rebooted, history, context);
            }
        }
        System.out.printf("%s: crashed at each of %d operations in %d modes, and %d recoveries crashed%n", workload,
            operations, CrashMode.values().length, recoveries);
    }

    /**
     * Crashes the recovery of {@code crashed} at each of its operations, then recovers for real and checks.
     *
     * @return the recoveries crashed
     */
    private static long crashRecoveryEverywhere(final Workload workload, final SimulatedFileSystem crashed,
        final KvHistory history, final String context)
    {
        final long operations = recoveryOperations(workload, crashed);
        for (long j = 1; j <= operations; j++)
        {
            final SimulatedFileSystem fs = crashed.crash(CrashMode.DROP_ALL, 0);
            fs.faults().crashAtOperation(j);
            try (Database db = Database.open(DIR, workload.options(fs)))
            {
                db.keyspace("k");
            }
            catch (final RuntimeException ex)
            {
                if (!fs.isHalted())
                {
                    throw ex;
                }
            }
            final CrashMode mode = CrashMode.values()[(int)(j % CrashMode.values().length)];
            check(workload, fs.crash(mode, j), history, context + "; recovery crashed at operation " + j + " of "
                + operations + ", " + mode);
        }
        return operations;
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void shouldMeetTheOraclesAfterACrashAtEveryOperation(final Workload workload)
    {
        loop(workload, false);
    }

    @Tag("stress")
    @ParameterizedTest
    @EnumSource(Workload.class)
    void shouldMeetTheOraclesAfterACrashAtEveryOperationOfWorkloadAndRecovery(final Workload workload)
    {
        loop(workload, true);
    }
}
