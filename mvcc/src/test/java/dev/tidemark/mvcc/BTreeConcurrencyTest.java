package dev.tidemark.mvcc;

import static dev.tidemark.mvcc.TreeStoreFixture.describe;
import static dev.tidemark.mvcc.TreeStoreFixture.expected;
import static dev.tidemark.mvcc.TreeStoreFixture.newModel;
import static dev.tidemark.mvcc.TreeStoreFixture.scan;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real threads on one tree: three writers, each with its own keys (interleaved with the others' in every leaf,
 * so their splits, merges and garbage collection meet), run short transactions that commit through the commit
 * table or roll back, and call the collector now and then next to the background one; two readers take snapshots
 * and scan (both directions, sub-ranges) and read them over and over while the tree changes under them. Every
 * reading of a snapshot must be the same, and equal to the committed history replayed up to the snapshot's read
 * timestamp. The store verifies clean at the end. The key and operation choices replay with the printed seed
 * (system property {@code tidemark.seed}); the interleaving does not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BTreeConcurrencyTest
{
    private static final int WRITERS = 3;
    private static final int READERS = 2;
    private static final int TRANSACTIONS_PER_WRITER = 2500;
    private static final int MAX_READER_ROUNDS = 300;

    /** One committed transaction: its timestamp and its changes (a null value is a delete). */
    private record Committed(long timestamp, List<byte[]> keys, List<byte[]> values)
    {
    }

    /** What a reader saw at a read timestamp: the number of entries and a digest of its full scan. */
    private record Seen(long timestamp, int entries, int digest)
    {
        static Seen of(final long timestamp, final List<String> content)
        {
            return new Seen(timestamp, content.size(), content.hashCode());
        }
    }

    @ParameterizedTest(name = "{0} buffer frames, {1} keys per writer, shared prefixes of {2} bytes")
    @CsvSource({"24, 2500, 7", "256, 300, 196"})
    void shouldGiveEverySnapshotAStableViewWhileWritersSplitAndCollect(final int frames, final int keysPerWriter,
        final int prefix) throws Exception
    {
        final long seed = Long.getLong("tidemark.seed", 0x5EED_B7EEL);
        System.out.println("BTreeConcurrencyTest seed " + seed + " (replay the choices with -Dtidemark.seed="
            + seed + ")");
        final SplittableRandom root = new SplittableRandom(seed);
        try (TreeStoreFixture fixture = TreeStoreFixture.open(seed, frames, Duration.ofMillis(5)))
        {
            final BTree tree = fixture.store.createTree("concurrent");
            final TestCommitTable commits = fixture.commits;
            final AtomicLong txnIds = new AtomicLong();
            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Committed> history = new ConcurrentLinkedQueue<>();
            final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
            final AtomicInteger writersLeft = new AtomicInteger(WRITERS);
            final CountDownLatch start = new CountDownLatch(1);
            final List<List<byte[]>> ownKeys = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                ownKeys.add(keys(root.split(), w, keysPerWriter, prefix));
            }
            final List<byte[]> allKeys = new ArrayList<>();
            ownKeys.forEach(allKeys::addAll);

            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                final SplittableRandom random = root.split();
                final List<byte[]> mine = ownKeys.get(w);
                threads.add(new Thread(() -> guard(failures, start, () ->
                {
                    try
                    {
                        write(fixture.store, tree, commits, random, mine, txnIds, history);
                    }
                    finally
                    {
                        writersLeft.decrementAndGet();
                    }
                }), "writer-" + w));
            }
            for (int r = 0; r < READERS; r++)
            {
                final SplittableRandom random = root.split();
                threads.add(new Thread(() -> guard(failures, start,
                    () -> read(tree, commits, random, allKeys, writersLeft, seen, failures)), "reader-" + r));
            }
            threads.forEach(Thread::start);
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (!failures.isEmpty())
            {
                final AssertionError error = new AssertionError("a thread failed, seed " + seed,
                    failures.peek());
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }

            final List<Committed> ordered = new ArrayList<>(history);
            ordered.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            final List<Seen> views = new ArrayList<>(seen);
            views.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            assertThat(views).as("snapshots read, seed %d", seed).isNotEmpty();
            final TreeMap<byte[], byte[]> model = newModel();
            int applied = 0;
            for (final Seen view : views)
            {
                while (applied < ordered.size() && ordered.get(applied).timestamp() <= view.timestamp())
                {
                    apply(model, ordered.get(applied++));
                }
                assertThat(view).as("entries and digest of the snapshot at %d against the committed history, "
                    + "seed %d", view.timestamp(), seed).isEqualTo(Seen.of(view.timestamp(),
                        expected(model, null, null, false)));
            }
            while (applied < ordered.size())
            {
                apply(model, ordered.get(applied++));
            }
            assertThat(scan(tree, Snapshot.latest(0), null, null, false)).as("final state, seed %d", seed)
                .containsExactlyElementsOf(expected(model, null, null, false));
            fixture.store.collectGarbage();
            final VerifyReport report = fixture.store.verify();
            assertThat(report.problems()).as("verify, seed %d: %s", seed, report).isEmpty();
            assertThat(report.treePages()).as("the tree grew past one leaf").isGreaterThan(3);
            final int inner = TreeStoreFixture.innerNodes(fixture.store, tree);
            System.out.println("BTreeConcurrencyTest, " + frames + " frames: " + ordered.size() + " transactions "
                + "committed, " + views.size() + " snapshots read and checked, " + inner + " inner nodes; " + report);
            assertThat(inner).as("inner nodes: the root split too").isGreaterThan(1);
            fixture.reopen();
            assertThat(scan(fixture.store.tree("concurrent").orElseThrow(), Snapshot.latest(0), null, null, true))
                .as("final state after reopen, seed %d", seed)
                .containsExactlyElementsOf(expected(model, null, null, true));
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void guard(final ConcurrentLinkedQueue<Throwable> failures, final CountDownLatch start,
        final Body body)
    {
        try
        {
            start.await();
            body.run();
        }
        catch (final Throwable ex)
        {
            failures.add(ex);
        }
    }

    /**
     * Keys of writer {@code w}, each ending in the writer's byte: random bytes of mixed length, and many behind
     * one of a few shared prefixes of {@code prefix} bytes (long ones make long separators, so that inner nodes
     * split after a few leaves).
     */
    private static List<byte[]> keys(final SplittableRandom random, final int w, final int count,
        final int prefix)
    {
        final List<byte[]> keys = new ArrayList<>();
        final TreeSet<byte[]> distinct = new TreeSet<>(Arrays::compareUnsigned);
        while (distinct.size() < count)
        {
            final int kind = random.nextInt(10);
            final int length = kind == 0 ? 40 + random.nextInt(200) : kind < 6 ? 2 + random.nextInt(12)
                : prefix + 4 + random.nextInt(8);
            final byte[] key = new byte[length];
            random.nextBytes(key);
            if (kind >= 6)
            {
                Arrays.fill(key, 0, prefix, (byte)('a' + kind));
            }
            key[length - 1] = (byte)w;
            if (distinct.add(key))
            {
                keys.add(key);
            }
        }
        return keys;
    }

    private static byte[] value(final SplittableRandom random)
    {
        final int kind = random.nextInt(100);
        final byte[] value = new byte[kind < 5 ? 0 : kind < 97 ? 1 + random.nextInt(300) : 5000 + random.nextInt(
            7000)];
        random.nextBytes(value);
        return value;
    }

    private static void write(final MvccStore store, final BTree tree, final TestCommitTable commits,
        final SplittableRandom random, final List<byte[]> mine, final AtomicLong txnIds,
        final ConcurrentLinkedQueue<Committed> history)
    {
        for (int t = 0; t < TRANSACTIONS_PER_WRITER; t++)
        {
            final WriteTxn txn = new WriteTxn(txnIds.incrementAndGet());
            final List<byte[]> keys = new ArrayList<>();
            final List<byte[]> values = new ArrayList<>();
            final int ops = 1 + random.nextInt(6);
            for (int i = 0; i < ops; i++)
            {
                final byte[] key = mine.get(random.nextInt(mine.size()));
                if (random.nextInt(5) == 0)
                {
                    if (tree.delete(txn, key))
                    {
                        keys.add(key);
                        values.add(null);
                    }
                }
                else
                {
                    final byte[] value = value(random);
                    tree.put(txn, key, value);
                    keys.add(key);
                    values.add(value);
                }
                final byte[] own = keys.isEmpty() || keys.get(keys.size() - 1) != key ? null
                    : values.get(values.size() - 1);
                assertThat(tree.get(Snapshot.latest(txn.id()), key)).as("own write of %s", describe(key, own))
                    .isEqualTo(own);
            }
            if (random.nextInt(8) == 0)
            {
                store.rollback(txn, 0);
                for (final byte[] key : keys)
                {
                    assertThat(tree.newestWriter(key)).as("newest writer after rollback").isNotEqualTo(txn.id());
                }
            }
            else
            {
                final long timestamp = commits.commit(txn.id());
                history.add(new Committed(timestamp, keys, values));
            }
            if (t % 150 == 149)
            {
                store.collectGarbage();
            }
        }
    }

    private static void apply(final TreeMap<byte[], byte[]> model, final Committed txn)
    {
        for (int i = 0; i < txn.keys().size(); i++)
        {
            if (txn.values().get(i) == null)
            {
                model.remove(txn.keys().get(i));
            }
            else
            {
                model.put(txn.keys().get(i), txn.values().get(i));
            }
        }
    }

    private static void read(final BTree tree, final TestCommitTable commits, final SplittableRandom random,
        final List<byte[]> allKeys, final AtomicInteger writersLeft, final ConcurrentLinkedQueue<Seen> seen,
        final ConcurrentLinkedQueue<Throwable> failures)
    {
        int rounds = 0;
        while (rounds++ < MAX_READER_ROUNDS && (writersLeft.get() > 0 || rounds < 5) && failures.isEmpty())
        {
            final long timestamp = commits.beginSnapshot();
            try
            {
                final Snapshot snapshot = Snapshot.at(timestamp, 0);
                final List<String> first = scan(tree, snapshot, null, null, false);
                final TreeMap<byte[], byte[]> content = newModel();
                try (TreeCursor cursor = tree.cursor())
                {
                    cursor.open(snapshot, null, null, false);
                    while (cursor.next())
                    {
                        content.put(cursor.keyBytes(), cursor.valueBytes());
                    }
                }
                assertThat(expected(content, null, null, false)).as("second scan at %d", timestamp)
                    .containsExactlyElementsOf(first);
                for (int i = 0; i < 6; i++)
                {
                    final int kind = random.nextInt(4);
                    if (kind == 0)
                    {
                        assertThat(scan(tree, snapshot, null, null, true)).as("descending scan at %d", timestamp)
                            .containsExactlyElementsOf(expected(content, null, null, true));
                    }
                    else if (kind == 1)
                    {
                        byte[] from = allKeys.get(random.nextInt(allKeys.size()));
                        byte[] to = allKeys.get(random.nextInt(allKeys.size()));
                        if (Arrays.compareUnsigned(from, to) > 0)
                        {
                            final byte[] swap = from;
                            from = to;
                            to = swap;
                        }
                        final boolean descending = random.nextBoolean();
                        assertThat(scan(tree, snapshot, from, to, descending)).as("range scan at %d", timestamp)
                            .containsExactlyElementsOf(expected(content, from, to, descending));
                    }
                    else
                    {
                        for (int g = 0; g < 30; g++)
                        {
                            final byte[] key = allKeys.get(random.nextInt(allKeys.size()));
                            assertThat(tree.get(snapshot, key)).as("get at %d", timestamp)
                                .isEqualTo(content.get(key));
                        }
                    }
                }
                seen.add(Seen.of(timestamp, first));
            }
            finally
            {
                commits.endSnapshot(timestamp);
            }
        }
    }
}
