package dev.tidemark.mvcc;

import static dev.tidemark.mvcc.TreeStoreFixture.describe;
import static dev.tidemark.mvcc.TreeStoreFixture.expected;
import static dev.tidemark.mvcc.TreeStoreFixture.key;
import static dev.tidemark.mvcc.TreeStoreFixture.newModel;
import static dev.tidemark.mvcc.TreeStoreFixture.scan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * One writer's long random sequence of puts, overwrites, deletes, reads and range scans (both directions, random
 * bounds) through transactions that commit, roll back or roll back to a savepoint, with garbage-collection sweeps,
 * old snapshots held open across them, and clean reopens of store and log, checked against sorted-map models:
 * the committed state, the writing transaction's own view, and the state each old snapshot saw. A 16-frame pool
 * of 4 KiB pages keeps eviction and re-reading busy; keys of 1 to 300 bytes (and some of 2,048) from a small key
 * space, many behind long shared prefixes, values from empty to 40 KiB (overflow pages). The store must verify clean at the end, and no page may
 * reach the disk ahead of the log. Replay a failure with its printed seed and step count through
 * {@link #replay(long, int)}.
 */
class BTreeModelProperties
{
    private static final int FRAMES = 16;
    private static final byte[] ALPHABET = {0x00, 0x01, 0x02, 0x41, 0x42, 0x7F, (byte)0x80, (byte)0xFE,
        (byte)0xFF};

    @Property(tries = 30, shrinking = ShrinkingMode.OFF)
    void shouldMatchTheModelThroughTransactionsGcAndReopens(@ForAll final long seed,
        @ForAll @IntRange(min = 150, max = 700) final int steps)
    {
        replay(seed, steps);
    }

    /** Runs one sequence; call it from an {@code @Example} with a reported seed and step count to replay it. */
    static void replay(final long seed, final int steps)
    {
        new Run(seed, steps).run();
    }

    /** Builds a key space of distinct keys, many sharing prefixes, a few of the largest size. */
    static List<byte[]> keySpace(final SplittableRandom random, final int size)
    {
        final TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        final byte[][] prefixes = {randomKey(random, 150 + random.nextInt(140)),
            randomKey(random, 100 + random.nextInt(190)), randomKey(random, 20 + random.nextInt(40))};
        final int shared = random.nextInt(90);
        int longest = 0;
        while (keys.size() < size)
        {
            final int kind = random.nextInt(100);
            final byte[] key;
            if (kind < 3 && longest < 3)
            {
                key = randomKey(random, 2048);
                longest++;
            }
            else if (kind >= 100 - shared)
            {
                final byte[] prefix = prefixes[random.nextInt(prefixes.length)];
                key = Arrays.copyOf(prefix, prefix.length + 1 + random.nextInt(8));
                System.arraycopy(randomKey(random, key.length - prefix.length), 0, key, prefix.length,
                    key.length - prefix.length);
            }
            else if (kind < 20 && !keys.isEmpty())
            {
                final byte[] base = new ArrayList<>(keys).get(random.nextInt(keys.size()));
                final int length = Math.max(1, Math.min(300, base.length + random.nextInt(-4, 8)));
                key = Arrays.copyOf(base, length);
                if (length > base.length)
                {
                    for (int i = base.length; i < length; i++)
                    {
                        key[i] = ALPHABET[random.nextInt(ALPHABET.length)];
                    }
                }
            }
            else if (kind < 70)
            {
                key = randomKey(random, 1 + random.nextInt(8));
            }
            else if (kind < 90)
            {
                key = randomKey(random, 9 + random.nextInt(56));
            }
            else
            {
                key = randomKey(random, 65 + random.nextInt(236));
            }
            keys.add(key);
        }
        return new ArrayList<>(keys);
    }

    static byte[] randomKey(final SplittableRandom random, final int length)
    {
        final byte[] key = new byte[length];
        for (int i = 0; i < length; i++)
        {
            key[i] = random.nextInt(4) == 0 ? (byte)random.nextInt(256) : ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return key;
    }

    static byte[] randomValue(final SplittableRandom random)
    {
        final int kind = random.nextInt(100);
        final int length;
        if (kind < 10)
        {
            length = 0;
        }
        else if (kind < 55)
        {
            length = 1 + random.nextInt(64);
        }
        else if (kind < 78)
        {
            length = 65 + random.nextInt(600);
        }
        else if (kind < 92)
        {
            length = 665 + random.nextInt(3500);
        }
        else
        {
            length = (5 << 10) + random.nextInt(35 << 10);
        }
        final byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }

    /** An old snapshot and the committed state it saw. */
    private record Held(long timestamp, TreeMap<byte[], byte[]> model)
    {
    }

    /** A savepoint of the writing transaction and its view at that point. */
    private record Savepoint(long lsn, TreeMap<byte[], byte[]> view, TreeSet<byte[]> written)
    {
    }

    private static final class Run
    {
        private final long seed;
        private final int steps;
        private final SplittableRandom random;
        private final TreeStoreFixture fixture;
        private final List<byte[]> keys;
        private TreeMap<byte[], byte[]> committed = newModel();
        private final TreeMap<byte[], Long> lastWriter = new TreeMap<>(Arrays::compareUnsigned);
        private final TreeSet<byte[]> everWritten = new TreeSet<>(Arrays::compareUnsigned);
        private final List<Held> held = new ArrayList<>();
        private final List<Savepoint> savepoints = new ArrayList<>();
        private BTree tree;
        private WriteTxn txn;
        private TreeMap<byte[], byte[]> view;
        private TreeSet<byte[]> written;
        private long nextTxn = 1;
        private int step = -1;

        Run(final long seed, final int steps)
        {
            this.seed = seed;
            this.steps = steps;
            this.random = new SplittableRandom(seed);
            this.fixture = TreeStoreFixture.open(seed, FRAMES);
            this.keys = keySpace(random, random.nextBoolean() ? 20 + random.nextInt(40) : 200 + random.nextInt(800));
        }

        private String at()
        {
            return "seed " + seed + ", steps " + steps + (step < 0 ? ", in the preload" : ", at step " + step);
        }

        void run()
        {
            AssertionError failure = null;
            try
            {
                tree = fixture.store.createTree("model");
                if (random.nextBoolean())
                {
                    preload();
                }
                for (step = 0; step < steps; step++)
                {
                    step();
                    assertThat(fixture.io.walRuleViolations()).as("pages written ahead of the log, %s", at())
                        .isZero();
                }
                if (txn != null)
                {
                    commit();
                }
                fixture.store.collectGarbage();
                checkAll();
                final VerifyReport report = fixture.store.verify();
                assertThat(report.problems()).as("verify after the sequence, %s: %s", at(), report).isEmpty();
                assertThat(report.isValid()).isTrue();
                fixture.reopen();
                tree = fixture.store.tree("model").orElseThrow();
                checkAll();
                assertThat(fixture.store.verify().problems()).as("verify after the last reopen, %s", at())
                    .isEmpty();
                final int inner = TreeStoreFixture.innerNodes(fixture.store, tree);
                Statistics.label("inner nodes").collect(inner == 0 ? "0" : inner == 1 ? "1" : inner < 10 ? "2..9"
                    : ">=10");
            }
            catch (final AssertionError ex)
            {
                failure = ex;
                throw ex;
            }
            catch (final RuntimeException ex)
            {
                failure = new AssertionError("the store failed at " + at() + ": " + ex, ex);
                throw failure;
            }
            finally
            {
                fixture.close(failure);
            }
            assertThat(fixture.fs.openHandleCount()).as("file handles left open, %s", at()).isZero();
        }

        private void step()
        {
            final int action = random.nextInt(1000);
            if (action < 300)
            {
                put();
            }
            else if (action < 400)
            {
                delete();
            }
            else if (action < 540)
            {
                get();
            }
            else if (action < 620)
            {
                rangeScan();
            }
            else if (action < 700)
            {
                if (txn != null)
                {
                    commit();
                }
            }
            else if (action < 730)
            {
                rollbackAll();
            }
            else if (action < 770)
            {
                if (txn != null)
                {
                    savepoints.add(new Savepoint(txn.lastLsn(), new TreeMap<>(view), new TreeSet<>(written)));
                }
            }
            else if (action < 810)
            {
                rollbackToSavepoint();
            }
            else if (action < 850)
            {
                if (held.size() < 3)
                {
                    held.add(new Held(fixture.commits.beginSnapshot(), new TreeMap<>(committed)));
                }
            }
            else if (action < 880)
            {
                if (!held.isEmpty())
                {
                    fixture.commits.endSnapshot(held.remove(random.nextInt(held.size())).timestamp());
                }
            }
            else if (action < 930)
            {
                fixture.store.collectGarbage();
            }
            else if (action < 950)
            {
                newestWriters();
            }
            else if (action < 975)
            {
                reopen();
            }
            else if (action < 985)
            {
                final VerifyReport report = fixture.store.verify();
                assertThat(report.problems()).as("verify, %s: %s", at(), report).isEmpty();
            }
            else
            {
                checkAll();
            }
        }

        /** Fills the tree with part of the key space in one committed transaction, mostly small values. */
        private void preload()
        {
            begin();
            final int count = keys.size() / 2 + random.nextInt(keys.size() * 2);
            for (int i = 0; i < count; i++)
            {
                final byte[] key = keys.get(random.nextInt(keys.size()));
                final byte[] value = random.nextInt(10) == 0 ? randomValue(random) : randomKey(random,
                    random.nextInt(40));
                tree.put(txn, key, value);
                view.put(key, value);
                written.add(key);
                everWritten.add(key);
            }
            commit();
        }

        private byte[] anyKey()
        {
            if (random.nextInt(20) == 0)
            {
                return randomKey(random, 1 + random.nextInt(12));
            }
            return keys.get(random.nextInt(keys.size()));
        }

        private void begin()
        {
            if (txn == null)
            {
                txn = new WriteTxn(nextTxn++);
                view = new TreeMap<>(committed);
                written = new TreeSet<>(Arrays::compareUnsigned);
                savepoints.clear();
            }
        }

        private void put()
        {
            begin();
            final byte[] key = keys.get(random.nextInt(keys.size()));
            final byte[] value = randomValue(random);
            tree.put(txn, key, value);
            view.put(key, value);
            written.add(key);
            everWritten.add(key);
        }

        private void delete()
        {
            begin();
            final byte[] key = anyKey();
            final boolean visible = view.containsKey(key);
            final boolean deleted = tree.delete(txn, key);
            if (visible)
            {
                assertThat(deleted).as("delete of visible key %s, %s", key(key), at()).isTrue();
            }
            if (!everWritten.contains(key))
            {
                assertThat(deleted).as("delete of never written key %s, %s", key(key), at()).isFalse();
            }
            if (deleted)
            {
                view.remove(key);
                written.add(key);
            }
        }

        private void commit()
        {
            fixture.commits.commit(txn.id());
            for (final byte[] key : written)
            {
                lastWriter.put(key, txn.id());
            }
            committed = view;
            txn = null;
            view = null;
            written = null;
            savepoints.clear();
        }

        private void rollbackAll()
        {
            if (txn == null)
            {
                return;
            }
            fixture.store.rollback(txn, 0);
            txn = null;
            view = null;
            written = null;
            savepoints.clear();
        }

        private void rollbackToSavepoint()
        {
            if (txn == null || savepoints.isEmpty())
            {
                return;
            }
            final int index = random.nextInt(savepoints.size());
            final Savepoint savepoint = savepoints.get(index);
            fixture.store.rollback(txn, savepoint.lsn());
            view = new TreeMap<>(savepoint.view());
            written = new TreeSet<>(savepoint.written());
            savepoints.subList(index + 1, savepoints.size()).clear();
            // the savepoint stays usable: rolling back to it again undoes what came after it
        }

        /** A reader and the model of what it must see. */
        private record Reader(String name, Snapshot snapshot, TreeMap<byte[], byte[]> model)
        {
        }

        private Reader anyReader()
        {
            final int kind = random.nextInt(txn != null ? 4 : 3);
            if (kind == 0 && !held.isEmpty())
            {
                final Held snapshot = held.get(random.nextInt(held.size()));
                return new Reader("old snapshot at " + snapshot.timestamp(), Snapshot.at(snapshot.timestamp(), 0),
                    snapshot.model());
            }
            if (kind == 1)
            {
                return new Reader("snapshot at now", Snapshot.at(fixture.commits.now(), 0), committed);
            }
            if (kind == 3)
            {
                return new Reader("own transaction " + txn.id(), Snapshot.latest(txn.id()), view);
            }
            return new Reader("latest", Snapshot.latest(CommitTable.SYSTEM_TRANSACTION), committed);
        }

        private void get()
        {
            final Reader reader = anyReader();
            final byte[] key = anyKey();
            final byte[] actual = tree.get(reader.snapshot(), key);
            assertThat(describe(key, actual)).as("get by %s, %s", reader.name(), at())
                .isEqualTo(describe(key, reader.model().get(key)));
            assertThat(actual).isEqualTo(reader.model().get(key));
        }

        private byte[] bound()
        {
            final int kind = random.nextInt(4);
            if (kind == 0)
            {
                return null;
            }
            if (kind == 1)
            {
                return randomKey(random, 1 + random.nextInt(6));
            }
            return keys.get(random.nextInt(keys.size()));
        }

        private void rangeScan()
        {
            final Reader reader = anyReader();
            byte[] from = bound();
            byte[] to = bound();
            if (from != null && to != null && Arrays.compareUnsigned(from, to) > 0)
            {
                final byte[] swap = from;
                from = to;
                to = swap;
            }
            final boolean descending = random.nextBoolean();
            assertThat(scan(tree, reader.snapshot(), from, to, descending))
                .as("%s scan [%s, %s) by %s, %s", descending ? "descending" : "forward", key(from), key(to),
                    reader.name(), at())
                .containsExactlyElementsOf(expected(reader.model(), from, to, descending));
        }

        private void newestWriters()
        {
            for (final byte[] key : keys)
            {
                final long actual = tree.newestWriter(key);
                if (written != null && written.contains(key))
                {
                    assertThat(actual).as("newest writer of %s, %s", key(key), at()).isEqualTo(txn.id());
                }
                else if (committed.containsKey(key))
                {
                    assertThat(actual).as("newest writer of committed %s, %s", key(key), at())
                        .isEqualTo(lastWriter.get(key));
                }
                else if (lastWriter.containsKey(key))
                {
                    assertThat(actual).as("newest writer of deleted %s, %s", key(key), at())
                        .isIn(lastWriter.get(key), -1L);
                }
                else
                {
                    assertThat(actual).as("newest writer of unwritten %s, %s", key(key), at()).isEqualTo(-1L);
                }
            }
        }

        private void reopen()
        {
            if (txn != null)
            {
                if (random.nextBoolean())
                {
                    commit();
                }
                else
                {
                    rollbackAll();
                }
            }
            fixture.reopen();
            tree = fixture.store.tree("model").orElseThrow();
            assertThat(fixture.store.treeNames()).as(at()).contains("model");
        }

        private void checkAll()
        {
            assertThat(scan(tree, Snapshot.latest(CommitTable.SYSTEM_TRANSACTION), null, null, false))
                .as("full scan of the committed state, %s", at())
                .containsExactlyElementsOf(expected(committed, null, null, false));
            if (txn != null)
            {
                assertThat(scan(tree, Snapshot.latest(txn.id()), null, null, true))
                    .as("descending full scan by the writer, %s", at())
                    .containsExactlyElementsOf(expected(view, null, null, true));
            }
            for (final Held snapshot : held)
            {
                assertThat(scan(tree, Snapshot.at(snapshot.timestamp(), 0), null, null, false))
                    .as("full scan by the old snapshot at %d, %s", snapshot.timestamp(), at())
                    .containsExactlyElementsOf(expected(snapshot.model(), null, null, false));
            }
            for (final Map.Entry<byte[], byte[]> entry : committed.entrySet())
            {
                assertThat(tree.get(Snapshot.latest(CommitTable.SYSTEM_TRANSACTION), entry.getKey()))
                    .as("get of %s, %s", key(entry.getKey()), at()).isEqualTo(entry.getValue());
            }
        }
    }
}
