package dev.tidemark.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.Durability;
import dev.tidemark.TidemarkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WAL workload and its oracle. Every record is self-describing: its type is a unique id, and its size and
 * bytes are a function of that id, so any record read back can be checked even when its append never returned.
 * The oracle keeps what was acknowledged: which LSN each returned append got, and the highest LSN acknowledged
 * durable (a SYNC append that returned, a flush, or an observed durable LSN).
 */
final class WalWorkload
{
    static final Path DIR = Path.of("/sim/wal");

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Integer> sizes = new ConcurrentHashMap<>();
    private final Map<Long, Integer> idByLsn = new ConcurrentHashMap<>();
    private final AtomicLong durableWatermark = new AtomicLong();
    private long retainedFrom = 1;

    static byte[] payload(final int id, final int size)
    {
        final byte[] bytes = new byte[size];
        long x = id * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < size; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            bytes[i] = (byte)x;
        }
        return bytes;
    }

    static int size(final SplittableRandom random, final int maxLarge)
    {
        final int roll = random.nextInt(100);
        if (roll < 85)
        {
            return random.nextInt(300);
        }
        if (roll < 98)
        {
            return 1024 + random.nextInt(80 << 10);
        }
        return random.nextInt(maxLarge);
    }

    /** Appends {@code count} records from each of {@code threads} threads; exceptions end that thread's run. */
    List<Throwable> appendConcurrently(final WriteAheadLog wal, final int threads, final int count,
        final long seed, final int maxLarge) throws InterruptedException
    {
        final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final SplittableRandom random = new SplittableRandom(seed + t);
            final Thread worker = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        final int id = nextId.getAndIncrement();
                        final int size = size(random, maxLarge);
                        sizes.put(id, size);
                        final Durability durability = Durability.values()[random.nextInt(3)];
                        final long lsn = wal.append(id, payload(id, size), durability);
                        idByLsn.put(lsn, id);
                        if (durability == Durability.SYNC)
                        {
                            durableWatermark.accumulateAndGet(lsn, Math::max);
                        }
                    }
                }
                catch (final TidemarkException | IllegalStateException ex)
                {
                    failures.add(ex);
                }
            }, "appender-" + t);
            workers.add(worker);
            worker.start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        return failures;
    }

    void flush(final WriteAheadLog wal)
    {
        final long target = wal.lastAppendedLsn();
        if (!wal.awaitDurable(target, 30, java.util.concurrent.TimeUnit.SECONDS))
        {
            throw new AssertionError("flush to LSN " + target + " did not finish in 30 s: written "
                + wal.writtenLsn() + ", durable " + wal.durableLsn() + ", last appended " + wal.lastAppendedLsn()
                + ", open report " + wal.openReport());
        }
        durableWatermark.accumulateAndGet(target, Math::max);
    }

    void observeDurable(final WriteAheadLog wal)
    {
        durableWatermark.accumulateAndGet(wal.durableLsn(), Math::max);
    }

    void retire(final WriteAheadLog wal, final long below)
    {
        // records below the retention LSN may be gone even when retirement fails part way
        retainedFrom = Math.max(retainedFrom, Math.min(below, wal.writtenLsn() + 1));
        wal.retireBelow(below);
    }

    long durableWatermark()
    {
        return durableWatermark.get();
    }

    /**
     * Checks a freshly opened log: a dense run of LSNs, each record one that was appended (never garbage), each
     * LSN whose append returned holding that append's record, and every durable-acknowledged LSN present.
     * Then forgets the LSNs after the recovered end, which the reopened log hands out again.
     */
    void verify(final WriteAheadLog wal, final String context)
    {
        final WalOpenReport report = wal.openReport();
        long expected = 0;
        long count = 0;
        try (WalCursor cursor = wal.cursor(wal.firstLsn()))
        {
            while (cursor.next())
            {
                if (expected != 0)
                {
                    assertThat(cursor.lsn()).as("dense LSNs %s", context).isEqualTo(expected);
                }
                else
                {
                    assertThat(cursor.lsn()).as("first kept LSN %s", context).isLessThanOrEqualTo(retainedFrom);
                }
                expected = cursor.lsn() + 1;
                final int id = cursor.type();
                assertThat(sizes).as("record type is an id that was appended %s", context).containsKey(id);
                assertThat(cursor.payloadBytes()).as("bytes of id %d at LSN %d %s", id, cursor.lsn(), context)
                    .isEqualTo(payload(id, sizes.get(id)));
                final Integer known = idByLsn.get(cursor.lsn());
                if (known != null)
                {
                    assertThat(id).as("LSN %d holds the record its append returned %s", cursor.lsn(), context)
                        .isEqualTo(known);
                }
                count++;
            }
        }
        final long last = expected == 0 ? wal.writtenLsn() : expected - 1;
        assertThat(last).as("every durable-acknowledged LSN survives %s", context)
            .isGreaterThanOrEqualTo(durableWatermark.get());
        assertThat(report.records()).as("open report counts %s", context).isEqualTo(count);
        idByLsn.keySet().removeIf(lsn -> lsn > last);
        durableWatermark.set(last);
    }
}
