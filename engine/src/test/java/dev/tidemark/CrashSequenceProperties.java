package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.OpKind;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import dev.tidemark.testkit.history.KvHistory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;

/**
 * Generated sequences of transactions (each isolation level and durability, puts, deletes, gets, scans,
 * savepoints, rollbacks to them, commits, rollbacks), checkpoints (between transactions and while a writer runs, so
 * that the writer spans the checkpoint's tables), crashes in every mode of the simulated file system (between
 * transactions and while a writer runs), some of them again during the recovery that follows, and I/O errors (a
 * write or force failing once or from then on, after which the run crashes). After every reopen: the
 * {@link KvHistory} oracles (O1 every acknowledged SYNC commit, O2 nothing of a transaction that did not commit,
 * O3 a commit in doubt whole or not at all; ASYNC and NONE commits, and commits that failed, count as in doubt; O4
 * no commit survives one whose commit returned before it was called),
 * {@code verify()} (O6), a recovery crashed part way finished by the next open (O7), the work going on afterwards
 * (O8), and after an I/O error (O9) no commit acknowledged over a failed write or force that the reopened database
 * lacks. While a transaction runs, every get and scan must show the committed state with its own writes over it.
 * One writer at a time.
 *
 * <p>A failing try prints its seed: the whole run derives from it.
 */
class CrashSequenceProperties
{
    private static final Path DIR = Path.of("/db");
    private static final int KEYS = 24;

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void shouldKeepTheOraclesThroughCrashesAndReopens(@ForAll final long seed)
    {
        new Run(seed).run(40);
    }

    @Tag("stress")
    @Property(tries = 100_000, shrinking = ShrinkingMode.OFF)
    void shouldKeepTheOraclesThroughManyCrashesAndReopens(@ForAll final long seed)
    {
        new Run(seed).run(40);
    }

    private static DatabaseOptions options(final SimulatedFileSystem fs)
    {
        return DatabaseOptions.builder().fileIo(fs).cacheBytes(16 * 8192).walSegmentSize(1 << 20)
            .checkpointInterval(Duration.ZERO).checkpointLogBytes(0).build();
    }

    private static byte[] key(final int index)
    {
        return String.format("key-%02d", index).getBytes(StandardCharsets.UTF_8);
    }

    /** One generated run: the database, the oracle's history, and the committed state as far as it is known. */
    private static final class Run
    {
        private final SplittableRandom random;
        private final long seed;
        private SimulatedFileSystem fs;
        private Database db;
        private Keyspace keyspace;
        private KvHistory history = new KvHistory();
        /** Key index to value, as of the last commit (any durability) of this open. */
        private final Map<Integer, byte[]> committed = new TreeMap<>();
        private int written;

        Run(final long seed)
        {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.fs = new SimulatedFileSystem(seed);
            this.db = Database.open(DIR, options(fs));
            this.keyspace = db.keyspace("k");
        }

        void run(final int transactions)
        {
            try
            {
                for (int t = 0; t < transactions; t++)
                {
                    transaction();
                    final int next = random.nextInt(20);
                    if (next < 2)
                    {
                        db.checkpoint();
                    }
                    else if (next < 4)
                    {
                        crashAndReopen();
                    }
                    else if (next == 4)
                    {
                        ioErrors();
                    }
                }
                crashAndReopen();
                db.close();
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("seed " + seed + ": " + ex.getMessage(), ex);
            }
        }

        /**
         * Makes the n-th next write or force fail (once, or from then on), runs transactions and a checkpoint until
         * one fails, then crashes: a failed force may have dropped what it covered, so only what was acknowledged
         * before the failure is owed.
         */
        private void ioErrors()
        {
            final OpKind kind = random.nextBoolean() ? OpKind.WRITE : OpKind.FORCE;
            final boolean once = random.nextBoolean();
            final int ahead = 1 + random.nextInt(12);
            while (true)
            {
                final long nth = fs.faults().operationCount(kind) + ahead;
                try
                {
                    if (once)
                    {
                        fs.faults().failOnce(kind, nth);
                    }
                    else
                    {
                        fs.faults().failFrom(kind, nth);
                    }
                    break;
                }
                catch (final IllegalArgumentException overtaken)
                {
                    // the log's threads did that many operations meanwhile: count again
                }
            }
            try
            {
                for (int t = 0; t < 4; t++)
                {
                    transaction();
                }
                db.checkpoint();
            }
            catch (final TidemarkException expected)
            {
                // the injected error reached an operation; the database may be fail-stopped from here on
            }
            crashAndReopen();
        }

        private void transaction()
        {
            final IsolationLevel level = IsolationLevel.values()[random.nextInt(3)];
            final int pick = random.nextInt(6);
            final Durability durability = pick == 0 ? Durability.NONE : pick == 1 ? Durability.ASYNC : Durability.SYNC;
            final Map<Integer, byte[]> own = new HashMap<>();
            final Deque<Savepoint> savepoints = new ArrayDeque<>();
            final Deque<Map<Integer, byte[]>> marks = new ArrayDeque<>();
            try (Transaction txn = db.begin(TransactionOptions.builder().isolation(level).durability(durability)
                .build()))
            {
                final int steps = 1 + random.nextInt(8);
                for (int s = 0; s < steps; s++)
                {
                    final int index = random.nextInt(KEYS);
                    switch (random.nextInt(10))
                    {
                        case 0, 1, 2 ->
                        {
                            final byte[] value = ("v" + written++ + "-" + "x".repeat(random.nextInt(300)))
                                .getBytes(StandardCharsets.UTF_8);
                            txn.put(keyspace, key(index), value);
                            own.put(index, value);
                        }
                        case 3 ->
                        {
                            final boolean deleted = txn.delete(keyspace, key(index));
                            assertThat(deleted).as("delete of key %d", index).isEqualTo(expected(own, index) != null);
                            own.put(index, null);
                        }
                        case 4 -> assertThat(txn.get(keyspace, key(index))).as("get of key %d", index)
                            .isEqualTo(expected(own, index));
                        case 5 -> checkScan(txn, own);
                        case 6 ->
                        {
                            savepoints.push(txn.savepoint());
                            marks.push(new HashMap<>(own));
                        }
                        case 8 -> db.checkpoint();
                        case 9 ->
                        {
                            if (random.nextInt(3) == 0)
                            {
                                // the writer is running: a loser of the recovery that follows
                                crashAndReopen();
                                return;
                            }
                        }
                        default ->
                        {
                            if (!savepoints.isEmpty())
                            {
                                txn.rollbackTo(savepoints.peek());
                                own.clear();
                                own.putAll(marks.peek());
                            }
                        }
                    }
                }
                if (random.nextInt(5) == 0)
                {
                    txn.rollback();
                    return;
                }
                final KvHistory.Txn record = history.begin();
                own.forEach((index, value) ->
                {
                    if (value == null)
                    {
                        record.delete(key(index));
                    }
                    else
                    {
                        record.put(key(index), value);
                    }
                });
                record.committing();
                txn.commit();
                if (durability == Durability.SYNC)
                {
                    record.acknowledged();
                }
                else
                {
                    record.returned();
                }
                own.forEach((index, value) ->
                {
                    if (value == null)
                    {
                        committed.remove(index);
                    }
                    else
                    {
                        committed.put(index, value);
                    }
                });
            }
        }

        private byte[] expected(final Map<Integer, byte[]> own, final int index)
        {
            return own.containsKey(index) ? own.get(index) : committed.get(index);
        }

        private void checkScan(final Transaction txn, final Map<Integer, byte[]> own)
        {
            final Map<Integer, byte[]> expected = new TreeMap<>(committed);
            own.forEach((index, value) ->
            {
                if (value == null)
                {
                    expected.remove(index);
                }
                else
                {
                    expected.put(index, value);
                }
            });
            final List<String> want = new ArrayList<>();
            expected.forEach((index, value) -> want.add(new String(key(index), StandardCharsets.UTF_8) + "="
                + new String(value, StandardCharsets.UTF_8)));
            final List<String> got = new ArrayList<>();
            try (Cursor cursor = txn.scan(keyspace, null, null))
            {
                while (cursor.next())
                {
                    got.add(new String(cursor.key(), StandardCharsets.UTF_8) + "="
                        + new String(cursor.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(got).as("scan").isEqualTo(want);
        }

        /** Crashes in a random mode (sometimes again during the recovery), reopens, and checks the oracles. */
        private void crashAndReopen()
        {
            final CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
            SimulatedFileSystem rebooted = fs.crash(mode, random.nextLong());
            try
            {
                db.close();
            }
            catch (final RuntimeException expected)
            {
                // its disk is gone
            }
            if (random.nextInt(4) == 0)
            {
                rebooted.faults().crashAtOperation(1 + random.nextInt(400));
                try (Database interrupted = Database.open(DIR, options(rebooted)))
                {
                    interrupted.keyspace("k");
                }
                catch (final RuntimeException crashedDuringRecovery)
                {
                    // the crash came during recovery (or the open that followed it)
                }
                rebooted = rebooted.crash(CrashMode.values()[random.nextInt(CrashMode.values().length)],
                    random.nextLong());
            }
            fs = rebooted;
            db = Database.open(DIR, options(fs));
            keyspace = db.keyspace("k");
            final Map<byte[], byte[]> found = Kv.committedBytes(db, keyspace);
            assertThat(history.check(found)).as("after a %s crash", mode).isEmpty();
            assertThat(db.verify().problems()).as("verify after a %s crash", mode).isEmpty();
            // what survived is the committed state from here on, and the baseline of a new history
            committed.clear();
            history = new KvHistory();
            final KvHistory.Txn baseline = history.begin();
            for (final Map.Entry<byte[], byte[]> entry : found.entrySet())
            {
                final String name = new String(entry.getKey(), StandardCharsets.UTF_8);
                committed.put(Integer.parseInt(name.substring("key-".length())), entry.getValue());
                baseline.put(entry.getKey(), entry.getValue());
            }
            baseline.committing();
            baseline.acknowledged();
        }
    }
}
