package dev.tidemark.bench.kv;

import dev.tidemark.bench.BenchFiles;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
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
 * Peer for the key-value benchmarks: H2's MVStore on a file, one {@code MVMap<byte[], byte[]>} (both sides
 * {@code ByteArrayDataType}, unsigned byte order) holding the {@link KvBenchData} set of {@code keys} entries
 * (16 B keys, 100 B values), loaded, committed and closed, then reopened with a page cache large enough to hold it
 * ({@code keys / 2048} MiB, at least 16).
 *
 * <p>The store runs with MVStore's default auto-commit: a background thread writes the changes as a new chunk every
 * second, or sooner once the unsaved changes pass the auto-commit buffer; nothing is ever fsynced (MVStore syncs
 * only when asked).
 *
 * <ul>
 *   <li>{@code getHot}: {@code map.get} of a random existing key; the value array is consumed. After warm-up the
 *       pages are deserialized in the cache.</li>
 *   <li>{@code scanForward}: one operation is a {@code map.cursor(from)} scan of {@value KvBenchData#SCAN_LENGTH}
 *       consecutive entries from a random key (wrapping to the first key at the end), consuming each key and value:
 *       entries/s = ops/s &times; {@value KvBenchData#SCAN_LENGTH}.</li>
 *   <li>{@code put}: {@code map.put} of a new 100 B value under a random existing key, no commit per operation.
 *       The map keeps the arrays it is given, so each put allocates a fresh key and value array.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class H2MvStoreKvBenchmark
{
    @Param("1000000")
    public int keys;

    private KvBenchData data;
    private Path directory;
    private MVStore store;
    private MVMap<byte[], byte[]> map;

    /** A benchmark thread's key array (for lookups only: the map never keeps it), buffer view and random state. */
    @State(Scope.Thread)
    public static class Worker
    {
        private static final AtomicInteger THREADS = new AtomicInteger();

        final KvBenchData.RandomState random = new KvBenchData.RandomState(THREADS.incrementAndGet());
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        final UnsafeBuffer keyView = new UnsafeBuffer(key);
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        long generation;
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        data = new KvBenchData(keys);
        directory = BenchFiles.newDirectory("tidemark-h2-kv");
        final String file = directory.resolve("kv.mv.db").toString();
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        try (MVStore loader = new MVStore.Builder().fileName(file).open())
        {
            final MVMap<byte[], byte[]> target = loader.openMap("kv", mapBuilder());
            for (int i = 0; i < keys; i++)
            {
                target.put(newKey(i, view), newValue(i, 0, view));
            }
            loader.commit();
        }
        store = new MVStore.Builder().fileName(file).cacheSize(Math.max(16, keys / 2048)).open();
        map = store.openMap("kv", mapBuilder());
    }

    private static MVMap.Builder<byte[], byte[]> mapBuilder()
    {
        return new MVMap.Builder<byte[], byte[]>().keyType(ByteArrayDataType.INSTANCE)
            .valueType(ByteArrayDataType.INSTANCE);
    }

    private static byte[] newKey(final int index, final UnsafeBuffer view)
    {
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        view.wrap(key);
        KvBenchData.key(index, view);
        return key;
    }

    private static byte[] newValue(final int index, final long generation, final UnsafeBuffer view)
    {
        final byte[] value = new byte[KvBenchData.VALUE_BYTES];
        view.wrap(value);
        KvBenchData.value(index, generation, view);
        return value;
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
        BenchFiles.deleteRecursively(directory);
    }

    @Benchmark
    public void getHot(final Worker worker, final Blackhole blackhole)
    {
        KvBenchData.key(data.nextIndex(worker.random), worker.keyView);
        blackhole.consume(map.get(worker.key));
    }

    @Benchmark
    public void scanForward(final Worker worker, final Blackhole blackhole)
    {
        KvBenchData.key(data.nextIndex(worker.random), worker.keyView);
        Cursor<byte[], byte[]> cursor = map.cursor(worker.key);
        for (int n = 0; n < KvBenchData.SCAN_LENGTH; n++)
        {
            if (!cursor.hasNext())
            {
                cursor = map.cursor(null);
            }
            blackhole.consume(cursor.next());
            blackhole.consume(cursor.getValue());
        }
    }

    @Benchmark
    public void put(final Worker worker)
    {
        final int index = data.nextIndex(worker.random);
        map.put(newKey(index, worker.view), newValue(index, ++worker.generation, worker.view));
    }
}
