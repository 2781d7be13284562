package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readers of the newest committed state ({@link Snapshot#latest}, registered with no prune horizon) while a
 * writer keeps replacing large values and the collector frees the replaced ones: every value a get or a scan
 * returns must be one that was written for its key, whole (each value names its key and version and is filled
 * from them), never bytes of a freed and reused overflow page. The choices replay with the printed seed
 * (system property {@code tidemark.seed}); the interleaving does not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BTreeLatestReadTest
{
    private static final int KEYS = 24;
    private static final int TRANSACTIONS = 1500;

    private static byte[] key(final int k)
    {
        return ("large-" + k).getBytes(StandardCharsets.US_ASCII);
    }

    /** A value that names its key and version and is filled from them, so a reader can check it alone. */
    private static byte[] value(final int k, final long version, final int length)
    {
        final ByteBuffer value = ByteBuffer.allocate(length);
        value.putInt(k).putLong(version);
        final SplittableRandom fill = new SplittableRandom(k * 1_000_003L + version);
        while (value.hasRemaining())
        {
            value.put((byte)fill.nextInt());
        }
        return value.array();
    }

    private static String check(final byte[] key, final byte[] value)
    {
        final int k = Integer.parseInt(new String(key, StandardCharsets.US_ASCII).substring(6));
        if (value.length < 12)
        {
            return "value of " + value.length + " bytes for key " + k;
        }
        final ByteBuffer read = ByteBuffer.wrap(value);
        final int named = read.getInt();
        final long version = read.getLong();
        if (named != k || !Arrays.equals(value, value(k, version, value.length)))
        {
            return "value of " + value.length + " bytes for key " + k + " names key " + named + " version " + version
                + " but does not hold what was written";
        }
        return null;
    }

    @Test
    void shouldNeverReturnBytesOfAReplacedValue() throws Exception
    {
        final long seed = Long.getLong("tidemark.seed", 0x1A7E57L);
        System.out.println("BTreeLatestReadTest seed " + seed + " (replay the choices with -Dtidemark.seed=" + seed
            + ")");
        final SplittableRandom random = new SplittableRandom(seed);
        try (TreeStoreFixture fixture = TreeStoreFixture.open(seed, 64, Duration.ofMillis(1)))
        {
            final MvccStore store = fixture.store;
            final BTree tree = store.createTree("latest");
            final WriteTxn load = new WriteTxn(1);
            for (int k = 0; k < KEYS; k++)
            {
                tree.put(load, key(k), value(k, 0, 5000 + random.nextInt(8000)));
            }
            fixture.commits.commit(load.id());

            final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            final AtomicBoolean writing = new AtomicBoolean(true);
            final CountDownLatch start = new CountDownLatch(1);
            final SplittableRandom writerRandom = random.split();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    start.await();
                    for (int t = 0; t < TRANSACTIONS && failures.isEmpty(); t++)
                    {
                        final WriteTxn txn = new WriteTxn(2 + t);
                        final int k = writerRandom.nextInt(KEYS);
                        tree.put(txn, key(k), value(k, txn.id(), 5000 + writerRandom.nextInt(8000)));
                        fixture.commits.commit(txn.id());
                        if (t % 10 == 0)
                        {
                            store.collectGarbage();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failures.add(ex);
                }
                finally
                {
                    writing.set(false);
                }
            }, "writer");
            final List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++)
            {
                final SplittableRandom readerRandom = random.split();
                final boolean scans = r == 1;
                readers.add(new Thread(() ->
                {
                    try
                    {
                        start.await();
                        final Snapshot latest = Snapshot.latest(CommitTable.SYSTEM_TRANSACTION);
                        while (writing.get() && failures.isEmpty())
                        {
                            if (scans)
                            {
                                try (TreeCursor cursor = tree.cursor())
                                {
                                    cursor.open(latest, null, null, readerRandom.nextBoolean());
                                    int seen = 0;
                                    while (cursor.next())
                                    {
                                        seen++;
                                        final String problem = check(cursor.keyBytes(), cursor.valueBytes());
                                        assertThat(problem).as("scan").isNull();
                                    }
                                    assertThat(seen).as("keys a scan sees").isEqualTo(KEYS);
                                }
                            }
                            else
                            {
                                final byte[] key = key(readerRandom.nextInt(KEYS));
                                final byte[] value = tree.get(latest, key);
                                assertThat(value).as("get").isNotNull();
                                assertThat(check(key, value)).as("get").isNull();
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failures.add(ex);
                    }
                }, "reader-" + r));
            }
            writer.start();
            readers.forEach(Thread::start);
            start.countDown();
            writer.join();
            for (final Thread reader : readers)
            {
                reader.join();
            }
            if (!failures.isEmpty())
            {
                final AssertionError error = new AssertionError("a thread failed, seed " + seed, failures.peek());
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
            store.collectGarbage();
            final VerifyReport report = store.verify();
            assertThat(report.problems()).as("verify, seed %d: %s", seed, report).isEmpty();
            // one version per key, and two catalog entries: the tree and the next tree id
            assertThat(report.versions()).isEqualTo(KEYS + 2);
        }
    }
}
