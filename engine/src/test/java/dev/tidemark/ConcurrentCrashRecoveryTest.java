package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real threads under load on the simulated file system, with checkpoints running beside them, crashed at a random
 * I/O operation in a random mode, recovered, checked, and loaded again on the recovered image, cycle after cycle.
 *
 * <p>The oracles: every SYNC commit acknowledged before the crash is there (a writer's journal key is at least its
 * last acknowledged sequence number); a transaction is all or nothing (a writer's entries exist exactly up to its
 * journal value); concurrent transfers between shared accounts keep the total (SNAPSHOT and SERIALIZABLE);
 * {@code verify()} passes after every recovery.
 */
class ConcurrentCrashRecoveryTest
{
    private static final Path DIR = Path.of("/db");
    private static final int WRITERS = 3;
    private static final int ACCOUNTS = 20;
    private static final long TOTAL = ACCOUNTS * 1000L;

    private static DatabaseOptions options(final SimulatedFileSystem fs)
    {
        return DatabaseOptions.builder().fileIo(fs).cacheBytes(48 * 8192).walSegmentSize(1 << 20)
            .lockTimeout(java.time.Duration.ofSeconds(2)).build();
    }

    private static byte[] key(final String prefix, final long n)
    {
        return (prefix + String.format("%08d", n)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] number(final long value)
    {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static long number(final byte[] bytes)
    {
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }

    @Test
    void shouldKeepEveryAcknowledgedCommitThroughCrashesUnderConcurrentLoad() throws Exception
    {
        runCycles(20, 20260101L);
    }

    @Test
    @Tag("stress")
    void shouldKeepEveryAcknowledgedCommitThroughManyCrashes() throws Exception
    {
        runCycles(200, 20261203L);
    }

    private void runCycles(final int cycles, final long seed) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        try (Database db = Database.open(DIR, options(fs)))
        {
            final Keyspace bank = db.keyspace("bank");
            try (Transaction txn = db.begin())
            {
                for (int a = 0; a < ACCOUNTS; a++)
                {
                    txn.put(bank, key("acct-", a), number(1000));
                }
                txn.commit();
            }
        }
        final long[] acknowledged = new long[WRITERS];
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            final CrashMode mode = CrashMode.values()[random.nextInt(CrashMode.values().length)];
            final String context = "cycle " + cycle + ", mode " + mode + ", seed " + seed;
            final Database db = Database.open(DIR, options(fs));
            check(db, acknowledged, context);
            final AtomicLongArray acked = new AtomicLongArray(acknowledged);
            fs.faults().crashAtOperation(fs.faults().operationCount() + 200 + random.nextInt(3000));
            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                threads.add(writer(db, w, acked, random.split()));
            }
            threads.add(transfers(db, random.split()));
            threads.add(checkpoints(db));
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(60_000);
                assertThat(thread.isAlive()).as("%s: %s still running after the crash", context, thread.getName())
                    .isFalse();
            }
            for (int w = 0; w < WRITERS; w++)
            {
                acknowledged[w] = acked.get(w);
            }
            fs = fs.crash(mode, random.nextLong());
            try
            {
                db.close();
            }
            catch (final RuntimeException expected)
            {
                // the file system crashed under it
            }
        }
        try (Database db = Database.open(DIR, options(fs)))
        {
            check(db, acknowledged, "after the last cycle");
        }
        assertThat(Thread.getAllStackTraces().keySet()).as("threads of databases closed after a crash")
            .filteredOn(thread -> thread.isAlive() && thread.getName().startsWith("tidemark-"))
            .extracting(Thread::getName).isEmpty();
    }

    private static void check(final Database db, final long[] acknowledged, final String context)
    {
        assertThat(db.verify().problems()).as("%s", context).isEmpty();
        final Keyspace journal = db.keyspace("journal");
        final Keyspace bank = db.keyspace("bank");
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT))
        {
            for (int w = 0; w < WRITERS; w++)
            {
                final long last = number(txn.get(journal, key("last-", w)));
                assertThat(last).as("%s: writer %d's journal is at least its last acknowledged commit", context, w)
                    .isGreaterThanOrEqualTo(acknowledged[w]);
                int entries = 0;
                try (Cursor cursor = txn.scan(journal, key("w" + w + "-", 0), key("w" + w + "-", 99_999_999)))
                {
                    while (cursor.next())
                    {
                        entries++;
                        assertThat(number(cursor.value())).as("%s: writer %d entry %d", context, w, entries)
                            .isEqualTo(entries);
                    }
                }
                assertThat(entries).as("%s: writer %d's entries are exactly those of its committed transactions",
                    context, w).isEqualTo(last);
                acknowledged[w] = last;
            }
            long total = 0;
            try (Cursor cursor = txn.scan(bank, null, null))
            {
                while (cursor.next())
                {
                    total += number(cursor.value());
                }
            }
            assertThat(total).as("%s: the bank's total", context).isEqualTo(TOTAL);
            txn.commit();
        }
    }

    /** Writer w: each transaction adds its next entry and moves its journal key to it; SYNC. */
    private static Thread writer(final Database db, final int w, final AtomicLongArray acked,
        final SplittableRandom random)
    {
        return new Thread(() ->
        {
            final Keyspace journal = db.keyspace("journal");
            long next = acked.get(w) + 1;
            try
            {
                while (true)
                {
                    try (Transaction txn = db.begin(random.nextBoolean() ? IsolationLevel.SNAPSHOT
                        : IsolationLevel.SERIALIZABLE))
                    {
                        final long last = number(txn.get(journal, key("last-", w)));
                        next = last + 1;
                        txn.put(journal, key("w" + w + "-", next), number(next));
                        if (random.nextInt(8) == 0)
                        {
                            // a big value now and then: overflow pages, splits
                            txn.put(journal, key("blob-" + w + "-", next % 5), new byte[random.nextInt(20_000)]);
                        }
                        txn.put(journal, key("last-", w), number(next));
                        txn.commit();
                    }
                    acked.set(w, next);
                }
            }
            catch (final RuntimeException crashed)
            {
                // the file system crashed: this writer stops; what it acknowledged is in acked
            }
        }, "crash-writer-" + w);
    }

    private static Thread transfers(final Database db, final SplittableRandom random)
    {
        return new Thread(() ->
        {
            final Keyspace bank = db.keyspace("bank");
            try
            {
                while (true)
                {
                    final int from = random.nextInt(ACCOUNTS);
                    final int to = random.nextInt(ACCOUNTS);
                    final long amount = random.nextInt(50);
                    try (Transaction txn = db.begin(random.nextBoolean() ? IsolationLevel.SNAPSHOT
                        : IsolationLevel.SERIALIZABLE))
                    {
                        final long a = number(txn.get(bank, key("acct-", from)));
                        txn.put(bank, key("acct-", from), number(a - amount));
                        final long b = number(txn.get(bank, key("acct-", to)));
                        txn.put(bank, key("acct-", to), number(b + amount));
                        if (random.nextInt(10) == 0)
                        {
                            txn.rollback();
                        }
                        else
                        {
                            txn.commit();
                        }
                    }
                    catch (final TransactionAbortedException retry)
                    {
                        // a conflict: try another transfer
                    }
                }
            }
            catch (final RuntimeException crashed)
            {
                // the file system crashed
            }
        }, "crash-transfers");
    }

    private static Thread checkpoints(final Database db)
    {
        return new Thread(() ->
        {
            try
            {
                while (true)
                {
                    Thread.sleep(5);
                    db.checkpoint();
                }
            }
            catch (final RuntimeException crashed)
            {
                // the file system crashed
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "crash-checkpoints");
    }
}
