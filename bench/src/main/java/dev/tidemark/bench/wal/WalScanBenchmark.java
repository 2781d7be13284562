package dev.tidemark.bench.wal;

import dev.tidemark.Durability;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.wal.WalCursor;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward scan of 4 KiB records with every frame's CRC32C checked: records per second; multiply by 4096 for
 * bytes per second. The log (256 MiB) is written once per trial and read from the page cache.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class WalScanBenchmark
{
    static final int RECORDS = 65_536;
    static final int SIZE = 4096;

    Path directory;
    WriteAheadLog wal;

    @Setup(Level.Trial)
    public void write()
    {
        directory = BenchFiles.newDirectory("tidemark-scan-bench");
        wal = WriteAheadLog.open(WalOptions.builder(directory).build());
        final UnsafeBuffer record = new UnsafeBuffer(new byte[SIZE]);
        for (int i = 0; i < RECORDS; i++)
        {
            record.putInt(0, i);
            wal.append(2, record, 0, SIZE, Durability.NONE);
        }
        wal.flush();
    }

    @TearDown(Level.Trial)
    public void close()
    {
        wal.close();
        BenchFiles.deleteRecursively(directory);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long scan4KiB()
    {
        long sum = 0;
        try (WalCursor cursor = wal.cursor(1))
        {
            while (cursor.next())
            {
                sum += cursor.payload().getInt(0) + cursor.payloadLength();
            }
        }
        return sum;
    }
}
