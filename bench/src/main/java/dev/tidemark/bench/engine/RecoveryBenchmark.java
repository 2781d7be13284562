package dev.tidemark.bench.engine;

import dev.tidemark.Database;
import dev.tidemark.DatabaseOptions;
import dev.tidemark.Durability;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionOptions;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.kv.KvBenchData;
import dev.tidemark.recovery.RecoveryReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Restart recovery: {@code Database.open} of a crash image holding {@code logMiB} of log written after the last
 * checkpoint (overwrites of random keys of a 100,000-key keyspace, 100 B values, committed without forcing, the last
 * one SYNC), with one transaction of 100 puts left running (undone by recovery).
 *
 * <p>The crash image is made once per trial: the database is loaded and checkpointed, the checkpointer is off and
 * the cache large enough that no page is written while the log grows, and the directory is copied once the last
 * commit is durable: what a power cut at that moment would leave. Each measured operation copies the image to a
 * work directory (not timed) and opens it (timed: analysis, redo, undo, the closing checkpoint of recovery's
 * stores, the opening checkpoint). Redo speed is the log read divided by the time of the redo pass in the recovery
 * report (reading the log and applying it to cached pages; opening the store and writing the pages it changed are
 * not in it but are in the open), printed after each operation as {@code redo: ... MB/s}.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RecoveryBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class RecoveryBenchmark
{
    private static final int KEYS = 100_000;
    private static final TransactionOptions UNFORCED = TransactionOptions.builder().durability(Durability.NONE)
        .build();

    @Param("64")
    public int logMiB;

    private Path image;
    private Path work;
    private Database opened;

    private static DatabaseOptions options()
    {
        return DatabaseOptions.builder().cacheBytes(1L << 30).checkpointInterval(Duration.ZERO)
            .checkpointLogBytes(0).build();
    }

    @Setup(Level.Trial)
    public void makeCrashImage() throws IOException
    {
        final Path source = BenchFiles.newDirectory("tidemark-recovery-source");
        image = BenchFiles.newDirectory("tidemark-recovery-image");
        work = BenchFiles.newDirectory("tidemark-recovery-work");
        final Database db = Database.open(source, options());
        try
        {
            final Keyspace keyspace = db.keyspace("kv");
            EngineData.load(db, keyspace, KEYS);
            final Transaction running = db.begin();
            final byte[] key = new byte[KvBenchData.KEY_BYTES];
            final UnsafeBuffer keyView = new UnsafeBuffer(key);
            final byte[] value = new byte[KvBenchData.VALUE_BYTES];
            final UnsafeBuffer valueView = new UnsafeBuffer(value);
            for (int i = 0; i < 100; i++)
            {
                KvBenchData.key(i, keyView);
                running.put(keyspace, key, value);
            }
            final SplittableRandom random = new SplittableRandom(42);
            final long start = db.stats().durableLsn();
            final long records = (long)logMiB * (1 << 20) / 300; // a commit writes about 300 B of log
            for (long n = 0; n < records / 2; n++)
            {
                final int index = 100 + random.nextInt(KEYS - 100);
                KvBenchData.key(index, keyView);
                KvBenchData.value(index, n + 1, valueView);
                try (Transaction txn = db.begin(n + 1 == records / 2
                    ? TransactionOptions.builder().durability(Durability.SYNC).build() : UNFORCED))
                {
                    txn.put(keyspace, key, value);
                    txn.commit();
                }
            }
            System.out.printf(Locale.ROOT, "%ncrash image: %,d log records after LSN %,d%n",
                db.stats().durableLsn() - start, start);
            copy(source, image);
        }
        finally
        {
            try
            {
                db.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(source);
            }
        }
    }

    @Setup(Level.Invocation)
    public void restoreImage() throws IOException
    {
        BenchFiles.deleteRecursively(work);
        copy(image, work);
    }

    @Benchmark
    public Database open()
    {
        opened = Database.open(work, options());
        return opened;
    }

    @TearDown(Level.Invocation)
    public void report()
    {
        final RecoveryReport report = opened.recoveryReport().orElseThrow(() ->
            new IllegalStateException("the crash image opened without recovery"));
        final double seconds = report.redoPass().toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "%nredo: %,.1f MB of log records in a %,.0f ms pass = %,.0f MB/s, "
            + "%,.0f records/s; %s%n", report.bytesRead() / 1e6, seconds * 1e3, report.bytesRead() / 1e6 / seconds,
            report.recordsRead() / seconds, report);
        opened.close();
        opened = null;
    }

    @TearDown(Level.Trial)
    public void deleteFiles()
    {
        BenchFiles.deleteRecursively(work);
        BenchFiles.deleteRecursively(image);
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from))
        {
            files.forEach(path ->
            {
                try
                {
                    final Path target = to.resolve(from.relativize(path).toString());
                    if (Files.isDirectory(path))
                    {
                        Files.createDirectories(target);
                    }
                    else
                    {
                        Files.copy(path, target);
                    }
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }
}
