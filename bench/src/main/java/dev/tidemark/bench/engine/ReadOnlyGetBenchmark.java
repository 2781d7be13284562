package dev.tidemark.bench.engine;

import dev.tidemark.Database;
import dev.tidemark.DatabaseOptions;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionOptions;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.kv.KvBenchData;
import dev.tidemark.bench.kv.RawKvStore;
import dev.tidemark.mvcc.BTree;
import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.Snapshot;
import java.nio.file.Path;
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

/**
 * What the transaction layer costs a point read. The {@link KvBenchData} set of {@code keys} entries is loaded
 * into a database and, separately, into a raw page store in another directory (the raw tree of the database
 * cannot be reached while the database holds its directory); both have the same page size and a buffer pool
 * holding everything, warmed by reading every key once. Each operation reads a random existing key and returns
 * the value as a new array.
 * <ul>
 *   <li>{@code txnGet}: begin a read-only transaction, {@code get}, commit.</li>
 *   <li>{@code txnGetOnly}: {@code get} in the thread's long-lived read-only transaction: the read path of the
 *       transaction layer over {@code BTree.get} without begin and commit, the closest the database lets one come
 *       to its raw get.</li>
 *   <li>{@code rawGet}: {@code BTree.get(Snapshot, byte[])} on the raw store ({@link RawKvStore}).</li>
 * </ul>
 * The floors: {@code txnGet} reaches at least 0.8 &times; {@code rawGet} ({@code txnGetOnly} shows how much of
 * the difference is begin and commit) and allocates at most 256 B per operation ({@code -prof gc}; the 120 B value
 * array, which {@code rawGet} allocates too, is part of it).
 * Run: {@code java -jar bench/target/benchmarks.jar ReadOnlyGetBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReadOnlyGetBenchmark
{
    private static final TransactionOptions READ_ONLY = TransactionOptions.builder().readOnly(true).build();
    private static final Snapshot LATEST = Snapshot.latest(CommitTable.SYSTEM_TRANSACTION);

    @Param("100000")
    public int keys;

    KvBenchData data;
    long poolBytes;

    @Setup(Level.Trial)
    public void setUp()
    {
        data = new KvBenchData(keys);
        poolBytes = Math.max(DatabaseOptions.DEFAULT_CACHE_BYTES, 512L * keys);
    }

    /** The database, its keyspace {@code kv}, and the long-lived transactions of the threads. */
    @State(Scope.Benchmark)
    public static class Engine
    {
        Path directory;
        Database db;
        Keyspace keyspace;
        final Queue<Transaction> longLived = new ConcurrentLinkedQueue<>();

        @Setup(Level.Trial)
        public void open(final ReadOnlyGetBenchmark benchmark)
        {
            directory = BenchFiles.newDirectory("tidemark-get-bench");
            db = Database.open(directory, DatabaseOptions.builder().cacheBytes(benchmark.poolBytes).build());
            keyspace = db.keyspace("kv");
            EngineData.load(db, keyspace, benchmark.keys);
            try (Transaction txn = db.begin(READ_ONLY))
            {
                final UnsafeBuffer key = new UnsafeBuffer(new byte[KvBenchData.KEY_BYTES]);
                for (int i = 0; i < benchmark.keys; i++)
                {
                    KvBenchData.key(i, key);
                    requireValue(txn.get(keyspace, key.byteArray()), i);
                }
                txn.commit();
            }
        }

        @TearDown(Level.Trial)
        public void close()
        {
            try
            {
                for (Transaction txn = longLived.poll(); txn != null; txn = longLived.poll())
                {
                    txn.commit();
                }
                db.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** The raw page store with the same data, in a directory of its own. */
    @State(Scope.Benchmark)
    public static class Raw
    {
        RawKvStore store;
        BTree tree;

        @Setup(Level.Trial)
        public void open(final ReadOnlyGetBenchmark benchmark)
        {
            store = RawKvStore.load("tidemark-rawget-bench", benchmark.keys, benchmark.poolBytes);
            tree = store.open(benchmark.poolBytes);
            final UnsafeBuffer key = new UnsafeBuffer(new byte[KvBenchData.KEY_BYTES]);
            for (int i = 0; i < benchmark.keys; i++)
            {
                KvBenchData.key(i, key);
                requireValue(tree.get(LATEST, key.byteArray()), i);
            }
        }

        @TearDown(Level.Trial)
        public void close()
        {
            store.close();
        }
    }

    /** A thread's read-only transaction, open for the whole trial. */
    @State(Scope.Thread)
    public static class LongLived
    {
        Transaction txn;

        @Setup(Level.Trial)
        public void begin(final Engine engine)
        {
            txn = engine.db.begin(READ_ONLY);
            engine.longLived.add(txn);
        }
    }

    /** A thread's key array and random state. */
    @State(Scope.Thread)
    public static class Reader
    {
        private static final AtomicInteger THREADS = new AtomicInteger();

        final KvBenchData.RandomState random = new KvBenchData.RandomState(THREADS.incrementAndGet());
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        final UnsafeBuffer keyView = new UnsafeBuffer(key);

        byte[] nextKey(final KvBenchData data)
        {
            KvBenchData.key(data.nextIndex(random), keyView);
            return key;
        }
    }

    private static void requireValue(final byte[] value, final int index)
    {
        if (value == null || value.length != KvBenchData.VALUE_BYTES)
        {
            throw new IllegalStateException("entry " + index + " is missing after the load");
        }
    }

    @Benchmark
    public byte[] txnGet(final Engine engine, final Reader reader)
    {
        final byte[] key = reader.nextKey(data);
        try (Transaction txn = engine.db.begin(READ_ONLY))
        {
            final byte[] value = txn.get(engine.keyspace, key);
            txn.commit();
            return value;
        }
    }

    @Benchmark
    public byte[] txnGetOnly(final Engine engine, final LongLived longLived, final Reader reader)
    {
        return longLived.txn.get(engine.keyspace, reader.nextKey(data));
    }

    @Benchmark
    public byte[] rawGet(final Raw raw, final Reader reader)
    {
        return raw.tree.get(LATEST, reader.nextKey(data));
    }
}
