package dev.tidemark.bench.kv;

import dev.tidemark.mvcc.BTree;
import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.Snapshot;
import dev.tidemark.mvcc.TreeCursor;
import dev.tidemark.mvcc.WriteTxn;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Tidemark's side of the key-value benchmarks ({@link LmdbKvBenchmark}, {@link H2MvStoreKvBenchmark}): the raw
 * page store ({@link RawKvStore}: {@code MvccStore} + {@code BTree} + WAL, no transaction layer) holding the
 * {@link KvBenchData} set of {@code keys} entries (16 B keys, 100 B values), loaded once per trial by one writer,
 * closed, and reopened with the buffer pool of {@code cache}:
 * <ul>
 *   <li>{@code large}: 512 MiB per million keys, and at least twice the page file (about 190 MiB for a million
 *       keys); every key is read once in setup, so the whole tree is in the pool;</li>
 *   <li>{@code tenth}: a tenth of the page file's bytes; most reads miss and read a page from the file (the OS
 *       page cache, in practice) and verify its checksum.</li>
 * </ul>
 *
 * <ul>
 *   <li>{@code getHot}: {@code BTree.get} of a random existing key at the latest snapshot, copying the value into
 *       the thread's reused buffer; reads its first 8 bytes. With {@code large} it should allocate nothing:
 *       {@code -prof gc} must show at most 64 B per operation.</li>
 *   <li>{@code scanForward}: one operation is a {@code TreeCursor} scan of {@value KvBenchData#SCAN_LENGTH}
 *       consecutive entries from a random key (wrapping to the first key at the end), reading the first 8 bytes of
 *       each key and value: entries/s = ops/s &times; {@value KvBenchData#SCAN_LENGTH}.</li>
 *   <li>{@code put}: overwrite a random existing key with a new 100 B value (one writer id per thread, committed
 *       by the trivial commit table at once); the change is logged without forcing and the older version is
 *       pruned on the way. After each iteration the changed pages are written and the log retired.</li>
 * </ul>
 * Run all three peers together: {@code java -jar bench/target/benchmarks.jar 'kv\.' -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TidemarkKvBenchmark
{
    private static final long LARGE_BYTES_PER_MILLION_KEYS = 512L << 20;

    @Param("1000000")
    public int keys;

    @Param({"large", "tenth"})
    public String cache;

    private final Snapshot latest = Snapshot.latest(CommitTable.SYSTEM_TRANSACTION);
    private KvBenchData data;
    private RawKvStore raw;
    private BTree tree;
    private final Queue<Worker> workers = new ConcurrentLinkedQueue<>();

    /** A benchmark thread's key and value buffers, writer, cursor and random state. */
    @State(Scope.Thread)
    public static class Worker
    {
        private static final AtomicInteger THREADS = new AtomicInteger();

        final int thread = THREADS.incrementAndGet();
        final KvBenchData.RandomState random = new KvBenchData.RandomState(thread);
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        final UnsafeBuffer keyView = new UnsafeBuffer(key);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[KvBenchData.VALUE_BYTES]);
        final WriteTxn writer = new WriteTxn(1L + thread);
        long generation;
        TreeCursor cursor;

        @Setup(Level.Trial)
        public void open(final TidemarkKvBenchmark benchmark)
        {
            cursor = benchmark.tree.cursor();
            benchmark.workers.add(this);
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        data = new KvBenchData(keys);
        final long largeBytes = LARGE_BYTES_PER_MILLION_KEYS * keys / 1_000_000;
        raw = RawKvStore.load("tidemark-kv", keys, largeBytes);
        final long poolBytes = switch (cache)
        {
            case "large" -> Math.max(largeBytes, 2 * raw.pageBytes());
            case "tenth" -> raw.pageBytes() / 10;
            default -> throw new IllegalArgumentException("cache must be large or tenth, was " + cache);
        };
        tree = raw.open(poolBytes);
        if ("large".equals(cache))
        {
            warm();
        }
    }

    private void warm()
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KvBenchData.KEY_BYTES]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[KvBenchData.VALUE_BYTES]);
        for (int i = 0; i < keys; i++)
        {
            KvBenchData.key(i, key);
            if (tree.get(latest, key, 0, KvBenchData.KEY_BYTES, value, 0) != KvBenchData.VALUE_BYTES)
            {
                throw new IllegalStateException("entry " + i + " is missing after the load");
            }
        }
    }

    @TearDown(Level.Iteration)
    public void checkpoint()
    {
        raw.checkpoint();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        for (Worker worker = workers.poll(); worker != null; worker = workers.poll())
        {
            worker.cursor.close();
        }
        raw.close();
    }

    @Benchmark
    public void getHot(final Worker worker, final Blackhole blackhole)
    {
        KvBenchData.key(data.nextIndex(worker.random), worker.keyView);
        tree.get(latest, worker.keyView, 0, KvBenchData.KEY_BYTES, worker.value, 0);
        blackhole.consume(worker.value.getLong(0));
    }

    @Benchmark
    public void scanForward(final Worker worker, final Blackhole blackhole)
    {
        KvBenchData.key(data.nextIndex(worker.random), worker.keyView);
        final TreeCursor cursor = worker.cursor;
        cursor.open(latest, worker.key, null, false);
        for (int n = 0; n < KvBenchData.SCAN_LENGTH; n++)
        {
            if (!cursor.next())
            {
                cursor.open(latest, null, null, false);
                cursor.next();
            }
            blackhole.consume(cursor.key().getLong(0));
            blackhole.consume(cursor.value().getLong(0));
        }
    }

    @Benchmark
    public void put(final Worker worker)
    {
        final int index = data.nextIndex(worker.random);
        KvBenchData.key(index, worker.keyView);
        KvBenchData.value(index, ++worker.generation, worker.value);
        tree.put(worker.writer, worker.key, worker.value, KvBenchData.VALUE_BYTES);
    }
}
