package dev.tidemark.bench.wal;

import dev.tidemark.Durability;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of the WAL against the raw floor of the disk, all in one run:
 * <ul>
 *   <li>{@code rawAppendForce}: one thread writing 100 B into a preallocated file and forcing it each time;</li>
 *   <li>{@code sync*}: SYNC appends of 100 B at 1, 4, 16 and 64 threads (group commit);</li>
 *   <li>{@code async100B} / {@code async4KiB}: ASYNC appends by one producer.</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar WalAppendBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class WalAppendBenchmark
{
    /** A WAL opened fresh for each trial in a scratch directory; retired as it grows. */
    @State(Scope.Benchmark)
    public static class Log
    {
        Path directory;
        WriteAheadLog wal;

        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchFiles.newDirectory("tidemark-wal-bench");
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
            wal.close();
            BenchFiles.deleteRecursively(directory);
        }
    }

    /** Per-thread record bytes, so that producers share nothing but the log. */
    @State(Scope.Thread)
    public static class Record
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[100]);
        final UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
    }

    /** The physical floor: a preallocated file, 100 B written at the next offset, then forced. */
    @State(Scope.Thread)
    public static class RawFile
    {
        private static final long SIZE = 64L << 20;
        Path directory;
        FileChannel channel;
        final ByteBuffer record = ByteBuffer.allocateDirect(100);
        long position;

        @Setup(Level.Trial)
        public void open() throws IOException
        {
            directory = BenchFiles.newDirectory("tidemark-raw-bench");
            channel = FileChannel.open(directory.resolve("raw.log"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
            final ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < SIZE; at += zeros.capacity())
            {
                zeros.clear();
                channel.write(zeros, at);
            }
            channel.force(true);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            channel.close();
            BenchFiles.deleteRecursively(directory);
        }
    }

    @Benchmark
    @Threads(1)
    public long rawAppendForce(final RawFile raw) throws IOException
    {
        raw.record.clear();
        raw.channel.write(raw.record, raw.position);
        raw.channel.force(false);
        raw.position = (raw.position + 104) % (RawFile.SIZE - 104);
        return raw.position;
    }

    @Benchmark
    @Threads(1)
    public long sync100B_1thread(final Log log, final Record record)
    {
        return log.wal.append(1, record.small, 0, 100, Durability.SYNC);
    }

    @Benchmark
    @Threads(4)
    public long sync100B_4threads(final Log log, final Record record)
    {
        return log.wal.append(1, record.small, 0, 100, Durability.SYNC);
    }

    @Benchmark
    @Threads(16)
    public long sync100B_16threads(final Log log, final Record record)
    {
        return log.wal.append(1, record.small, 0, 100, Durability.SYNC);
    }

    @Benchmark
    @Threads(64)
    public long sync100B_64threads(final Log log, final Record record)
    {
        return log.wal.append(1, record.small, 0, 100, Durability.SYNC);
    }

    @Benchmark
    @Threads(1)
    public long async100B(final Log log, final Record record)
    {
        return log.wal.append(1, record.small, 0, 100, Durability.ASYNC);
    }

    @Benchmark
    @Threads(1)
    public long async4KiB(final Log log, final Record record)
    {
        return log.wal.append(1, record.page, 0, 4096, Durability.ASYNC);
    }
}
