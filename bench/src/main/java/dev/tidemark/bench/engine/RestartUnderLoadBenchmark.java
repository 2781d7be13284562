package dev.tidemark.bench.engine;

import dev.tidemark.Database;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.recovery.RecoveryReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Restart time after a SIGKILL under sustained load, with the default options (checkpoints every 30 s or 64 MiB of
 * log). Before each measured operation a child JVM ({@link SustainedLoad}) loads the database for a random time
 * between {@code minLoadSeconds} and {@code maxLoadSeconds} and is killed with SIGKILL; the operation is
 * {@code Database.open} of what it left: analysis, redo and undo from the last checkpoint, then the opening
 * checkpoint. The same directory is loaded, killed and reopened over and over, so later rounds restart a bigger
 * database. Each open prints its recovery report.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RestartUnderLoadBenchmark}; the score's maximum is the
 * figure to hold against the restart bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 6)
public class RestartUnderLoadBenchmark
{
    @Param("15")
    public int minLoadSeconds;

    @Param("75")
    public int maxLoadSeconds;

    private final SplittableRandom random = new SplittableRandom(20261203);
    private Path directory;
    private Database opened;
    private int round;

    @Setup(Level.Trial)
    public void createDirectory()
    {
        directory = BenchFiles.newDirectory("tidemark-restart-under-load");
    }

    @Setup(Level.Invocation)
    public void loadAndKill() throws IOException, InterruptedException
    {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx2g", "-cp",
            System.getProperty("java.class.path"), SustainedLoad.class.getName(), directory.toString()))
            .redirectErrorStream(true).start();
        final BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null && !line.equals("loading"))
        {
            System.out.println("load: " + line);
        }
        if (line == null)
        {
            throw new IllegalStateException("the load process ended before it started loading, exit "
                + child.waitFor());
        }
        final Thread drain = new Thread(() -> drain(output), "restart-bench-drain");
        drain.setDaemon(true);
        drain.start();
        final long loadMillis = 1000L * (minLoadSeconds + random.nextInt(maxLoadSeconds - minLoadSeconds + 1));
        Thread.sleep(loadMillis);
        child.destroyForcibly();
        child.waitFor();
        round++;
        System.out.printf(Locale.ROOT, "%nround %d: killed the load after %,d ms%n", round, loadMillis);
    }

    private static void drain(final BufferedReader output)
    {
        try
        {
            String line;
            while ((line = output.readLine()) != null)
            {
                if (line.contains("ERROR") || line.contains("Exception"))
                {
                    System.out.println("load: " + line);
                }
            }
        }
        catch (final IOException ended)
        {
            // the process is gone
        }
    }

    @Benchmark
    public Database open()
    {
        opened = Database.open(directory);
        return opened;
    }

    @TearDown(Level.Invocation)
    public void report()
    {
        final RecoveryReport report = opened.recoveryReport().orElseThrow(() ->
            new IllegalStateException("the killed database opened without recovery"));
        System.out.printf(Locale.ROOT, "round %d: %s; page file %,d MB%n", round, report,
            directory.resolve("pages.tm").toFile().length() >> 20);
        opened.close();
        opened = null;
    }

    @TearDown(Level.Trial)
    public void deleteDirectory()
    {
        BenchFiles.deleteRecursively(directory);
    }
}
