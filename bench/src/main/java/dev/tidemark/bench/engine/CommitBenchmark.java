package dev.tidemark.bench.engine;

import dev.tidemark.Database;
import dev.tidemark.Durability;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionAbortedException;
import dev.tidemark.TransactionOptions;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.kv.KvBenchData;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of SYNC commits of one-key transactions, against the log's own group commit, at 1, 4, 16 and 64
 * threads:
 * <ul>
 *   <li>{@code commit*}: begin (SNAPSHOT, the database defaults), put a new 100 B value under a random key of a
 *       keyspace of {@code keys} {@link KvBenchData} entries, commit with {@link Durability#SYNC}. The transaction
 *       logs one tree-entry record (56 B header + 16 B key + 14 B chain and version header + 100 B value; the
 *       key's older version, kept behind the new one, is named by its length and not repeated) without forcing
 *       and a 32 B commit record that it waits for: about 280 B of log frames. A transaction that loses a
 *       write conflict (rare: two threads on one key of 100,000) is retried within the same operation.</li>
 *   <li>{@code walSync*}: the baseline, on a separate {@link WriteAheadLog} in its own scratch directory on the
 *       same disk: one SYNC append of {@value #WAL_RECORD_BYTES} B per operation (a 288 B frame), about the log
 *       bytes of one transaction and the same wait for the force, in one record instead of two.</li>
 *   <li>{@code walTwoRecords*}: the baseline with the same record count as a transaction, on the same kind of
 *       separate log: an append of {@value #ENTRY_RECORD_BYTES} B without forcing (the tree-entry record's
 *       payload) and then a SYNC append of {@value #COMMIT_RECORD_BYTES} B (the commit record's).</li>
 * </ul>
 * The floor (issue: "against the WAL's own group-commit figure for the same record count"): at every thread
 * count, {@code commit} reaches at least 0.7 &times; {@code walTwoRecords}; {@code walSync}, the stricter
 * one-record baseline, is reported beside it. {@link CommitPairBenchmark} measures the same ratio with both sides
 * taking turns in one fork, which a shared machine's drift moves less. After each iteration the database
 * checkpoints and the log retires what it no longer needs. Five warmup iterations: at 64 threads the database's
 * throughput still rises through the third (compilation of the put path, leaves splitting while updated keys keep
 * one old version), the logs' by the second.
 * Run: {@code java -jar bench/target/benchmarks.jar CommitBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 3)
public class CommitBenchmark
{
    static final int WAL_RECORD_BYTES = 250;
    static final int ENTRY_RECORD_BYTES = 182;
    static final int COMMIT_RECORD_BYTES = 32;
    private static final TransactionOptions SYNC = TransactionOptions.builder().durability(Durability.SYNC).build();

    /** A database in a scratch directory whose keyspace {@code kv} holds {@code keys} entries. */
    @State(Scope.Benchmark)
    public static class Engine
    {
        @Param("100000")
        public int keys;

        KvBenchData data;
        Path directory;
        Database db;
        Keyspace keyspace;

        @Setup(Level.Trial)
        public void open()
        {
            data = new KvBenchData(keys);
            directory = BenchFiles.newDirectory("tidemark-commit-bench");
            db = Database.open(directory);
            keyspace = db.keyspace("kv");
            EngineData.load(db, keyspace, keys);
        }

        @TearDown(Level.Iteration)
        public void checkpoint()
        {
            db.checkpoint();
        }

        @TearDown(Level.Trial)
        public void close()
        {
            try
            {
                db.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** The comparison log: a WAL of its own, opened fresh for each trial; retired as it grows. */
    @State(Scope.Benchmark)
    public static class Log
    {
        Path directory;
        WriteAheadLog wal;

        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchFiles.newDirectory("tidemark-commit-wal");
            wal = WriteAheadLog.open(WalOptions.builder(directory).build());
        }

        @TearDown(Level.Iteration)
        public void retire()
        {
            wal.flush();
            wal.retireBelow(wal.durableLsn());
        }

        @TearDown(Level.Trial)
        public void close()
        {
            try
            {
                wal.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** A thread's key and value arrays (the engine copies both), log record and random state. */
    @State(Scope.Thread)
    public static class Writer
    {
        private static final AtomicInteger THREADS = new AtomicInteger();

        final KvBenchData.RandomState random = new KvBenchData.RandomState(THREADS.incrementAndGet());
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        final UnsafeBuffer keyView = new UnsafeBuffer(key);
        final byte[] value = new byte[KvBenchData.VALUE_BYTES];
        final UnsafeBuffer valueView = new UnsafeBuffer(value);
        final UnsafeBuffer record = new UnsafeBuffer(new byte[WAL_RECORD_BYTES]);
        long generation;
    }

    static long commitOne(final Engine engine, final Writer writer)
    {
        final int index = engine.data.nextIndex(writer.random);
        KvBenchData.key(index, writer.keyView);
        KvBenchData.value(index, ++writer.generation, writer.valueView);
        while (true)
        {
            try (Transaction txn = engine.db.begin(SYNC))
            {
                txn.put(engine.keyspace, writer.key, writer.value);
                txn.commit();
                return txn.id();
            }
            catch (final TransactionAbortedException ex)
            {
                if (!ex.isRetryable())
                {
                    throw ex;
                }
            }
        }
    }

    private static long appendOne(final Log log, final Writer writer)
    {
        return log.wal.append(1, writer.record, 0, WAL_RECORD_BYTES, Durability.SYNC);
    }

    @Benchmark
    @Threads(1)
    public long commit_1thread(final Engine engine, final Writer writer)
    {
        return commitOne(engine, writer);
    }

    @Benchmark
    @Threads(4)
    public long commit_4threads(final Engine engine, final Writer writer)
    {
        return commitOne(engine, writer);
    }

    @Benchmark
    @Threads(16)
    public long commit_16threads(final Engine engine, final Writer writer)
    {
        return commitOne(engine, writer);
    }

    @Benchmark
    @Threads(64)
    public long commit_64threads(final Engine engine, final Writer writer)
    {
        return commitOne(engine, writer);
    }

    static long appendTwo(final Log log, final Writer writer)
    {
        log.wal.append(2, writer.record, 0, ENTRY_RECORD_BYTES, Durability.NONE);
        return log.wal.append(1, writer.record, 0, COMMIT_RECORD_BYTES, Durability.SYNC);
    }

    @Benchmark
    @Threads(1)
    public long walTwoRecords_1thread(final Log log, final Writer writer)
    {
        return appendTwo(log, writer);
    }

    @Benchmark
    @Threads(4)
    public long walTwoRecords_4threads(final Log log, final Writer writer)
    {
        return appendTwo(log, writer);
    }

    @Benchmark
    @Threads(16)
    public long walTwoRecords_16threads(final Log log, final Writer writer)
    {
        return appendTwo(log, writer);
    }

    @Benchmark
    @Threads(64)
    public long walTwoRecords_64threads(final Log log, final Writer writer)
    {
        return appendTwo(log, writer);
    }

    @Benchmark
    @Threads(1)
    public long walSync_1thread(final Log log, final Writer writer)
    {
        return appendOne(log, writer);
    }

    @Benchmark
    @Threads(4)
    public long walSync_4threads(final Log log, final Writer writer)
    {
        return appendOne(log, writer);
    }

    @Benchmark
    @Threads(16)
    public long walSync_16threads(final Log log, final Writer writer)
    {
        return appendOne(log, writer);
    }

    @Benchmark
    @Threads(64)
    public long walSync_64threads(final Log log, final Writer writer)
    {
        return appendOne(log, writer);
    }
}
