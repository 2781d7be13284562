package dev.tidemark.bench.wal;

import dev.tidemark.bench.BenchFiles;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
 * The peer for ASYNC appends: open-source Chronicle Queue appending the same 100 B records, never synced
 * (its default). Chronicle Queue needs these JVM flags on JDK 17; only this benchmark's fork gets them —
 * Tidemark itself runs without any.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    "-Dchronicle.analytics.disable=true",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ChronicleQueueBenchmark
{
    Path directory;
    ChronicleQueue queue;
    ExcerptAppender appender;
    final byte[] record = new byte[100];

    @Setup(Level.Trial)
    public void open()
    {
        directory = BenchFiles.newDirectory("tidemark-chronicle-bench");
        queue = SingleChronicleQueueBuilder.binary(directory.toFile()).build();
        appender = queue.acquireAppender();
    }

    @TearDown(Level.Trial)
    public void close()
    {
        appender.close();
        queue.close();
        BenchFiles.deleteRecursively(directory);
    }

    @Benchmark
    @Threads(1)
    public long chronicleAppend100B()
    {
        try (DocumentContext context = appender.writingDocument())
        {
            context.wire().bytes().write(record);
        }
        return appender.lastIndexAppended();
    }
}
