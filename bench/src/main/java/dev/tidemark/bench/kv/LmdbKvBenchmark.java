package dev.tidemark.bench.kv;

import static org.lmdbjava.DirectBufferProxy.PROXY_DB;

import dev.tidemark.bench.BenchFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
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
 * Peer for the key-value benchmarks: LMDB through lmdbjava, on the {@link KvBenchData} set of {@code keys} entries
 * (16 B keys, 100 B values) loaded into a fresh environment.
 *
 * <p>The load runs in one write transaction with {@code MDB_WRITEMAP | MDB_NOSYNC | MDB_NOMETASYNC}, then syncs and
 * closes (one transaction leaves no free-page list behind; a load in many large transactions leaves a long one,
 * which slows every later commit several-fold). The measured environment is reopened with
 * {@code MDB_NOSYNC | MDB_NOTLS}: no fsync at commit (committed pages are still written to the file), read
 * transactions not bound to threads. Reads use {@code DirectBufferProxy}: keys and values are views of the memory
 * map, never copied.
 *
 * <ul>
 *   <li>{@code getHot}: renew the thread's read-only transaction, get a random existing key, read the first 8 bytes
 *       of the value, reset the transaction. The whole data set is in the OS page cache (just written).</li>
 *   <li>{@code scanForward}: one operation is a cursor scan of {@value KvBenchData#SCAN_LENGTH} consecutive entries
 *       from a random key ({@code MDB_SET_RANGE}, then {@code next}; wrapping to the first key at the end), reading
 *       the first 8 bytes of each key and value: entries/s = ops/s &times; {@value KvBenchData#SCAN_LENGTH}.</li>
 *   <li>{@code put}: overwrite a random existing key with a new 100 B value in its own write transaction, committed
 *       without fsync ({@code MDB_NOSYNC}).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LmdbKvBenchmark
{
    @Param("1000000")
    public int keys;

    private KvBenchData data;
    private Path directory;
    private Env<DirectBuffer> env;
    private Dbi<DirectBuffer> dbi;
    private final Queue<Reader> readers = new ConcurrentLinkedQueue<>();

    /** A benchmark thread's read-only transaction and cursor (reset between operations), buffers and random state. */
    @State(Scope.Thread)
    public static class Reader
    {
        private static final AtomicInteger THREADS = new AtomicInteger();

        final KvBenchData.RandomState random = new KvBenchData.RandomState(THREADS.incrementAndGet());
        final UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(KvBenchData.KEY_BYTES));
        final UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(KvBenchData.VALUE_BYTES));
        long generation;
        Txn<DirectBuffer> txn;
        Cursor<DirectBuffer> cursor;

        @Setup(Level.Trial)
        public void open(final LmdbKvBenchmark benchmark)
        {
            txn = benchmark.env.txnRead();
            cursor = benchmark.dbi.openCursor(txn);
            txn.reset();
            benchmark.readers.add(this);
        }

        void close()
        {
            cursor.close();
            txn.close();
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        data = new KvBenchData(keys);
        directory = BenchFiles.newDirectory("tidemark-lmdb-kv");
        final long mapSize = 64L * 1024 * 1024 + 1024L * keys;
        load(mapSize);
        env = Env.create(PROXY_DB).setMapSize(mapSize).setMaxDbs(1)
            .open(directory.toFile(), EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOTLS);
        dbi = env.openDbi("kv");
    }

    private void load(final long mapSize)
    {
        final UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(KvBenchData.KEY_BYTES));
        final UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(KvBenchData.VALUE_BYTES));
        try (Env<DirectBuffer> loader = Env.create(PROXY_DB).setMapSize(mapSize).setMaxDbs(1)
            .open(directory.toFile(), EnvFlags.MDB_WRITEMAP, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC))
        {
            final Dbi<DirectBuffer> target = loader.openDbi("kv", DbiFlags.MDB_CREATE);
            try (Txn<DirectBuffer> txn = loader.txnWrite())
            {
                for (int i = 0; i < keys; i++)
                {
                    KvBenchData.key(i, key);
                    KvBenchData.value(i, 0, value);
                    target.put(txn, key, value);
                }
                txn.commit();
            }
            loader.sync(true);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        for (Reader reader = readers.poll(); reader != null; reader = readers.poll())
        {
            reader.close();
        }
        dbi.close();
        env.close();
        BenchFiles.deleteRecursively(directory);
    }

    @Benchmark
    public void getHot(final Reader reader, final Blackhole blackhole)
    {
        KvBenchData.key(data.nextIndex(reader.random), reader.key);
        reader.txn.renew();
        final DirectBuffer value = dbi.get(reader.txn, reader.key);
        blackhole.consume(value.getLong(0));
        reader.txn.reset();
    }

    @Benchmark
    public void scanForward(final Reader reader, final Blackhole blackhole)
    {
        KvBenchData.key(data.nextIndex(reader.random), reader.key);
        reader.txn.renew();
        final Cursor<DirectBuffer> cursor = reader.cursor;
        cursor.renew(reader.txn);
        boolean positioned = cursor.get(reader.key, GetOp.MDB_SET_RANGE);
        for (int n = 0; n < KvBenchData.SCAN_LENGTH; n++)
        {
            if (!positioned)
            {
                cursor.first();
            }
            blackhole.consume(cursor.key().getLong(0));
            blackhole.consume(cursor.val().getLong(0));
            positioned = cursor.next();
        }
        reader.txn.reset();
    }

    @Benchmark
    public void put(final Reader reader)
    {
        final int index = data.nextIndex(reader.random);
        KvBenchData.key(index, reader.key);
        KvBenchData.value(index, ++reader.generation, reader.value);
        try (Txn<DirectBuffer> txn = env.txnWrite())
        {
            dbi.put(txn, reader.key, reader.value);
            txn.commit();
        }
    }
}
