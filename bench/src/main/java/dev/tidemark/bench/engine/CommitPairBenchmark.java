package dev.tidemark.bench.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The commit floor of {@link CommitBenchmark} measured with both sides in one fork, taking turns: even iterations
 * run {@link CommitBenchmark#commitOne} (begin, put, SYNC commit on a database), odd ones
 * {@link CommitBenchmark#appendTwo} (the same two records appended to a log of its own), with the same threads,
 * the same states and the same 2 s per iteration.
 *
 * <p>{@link CommitBenchmark} runs each side in its own fork, a minute or more apart; on a shared machine the
 * throughput of either drifts by more than 10 % between such runs, which moves the ratio as much. Here both sides
 * see the same minutes, so the ratio {@code commits / walTwoRecords} is what the floor compares (at least 0.7 at
 * every thread count).
 *
 * <p>Reading the results: the primary score mixes both sides and means nothing. The two counters
 * ({@code :commits}, {@code :walTwoRecords}) are each averaged over every measured iteration, counting zero in the
 * other side's turns: with an even number of measured iterations each is half of that side's throughput, and their
 * ratio is exact; the trial also prints it from the measured operations. Work a side leaves behind runs on into
 * the other's turn, in both directions: the database's background checkpoint when one falls due mid-iteration, its
 * version collector, each log's preparation of its next segment.
 * Run: {@code java -jar bench/target/benchmarks.jar CommitPairBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 10, time = 2)
public class CommitPairBenchmark
{
    /**
     * Whose turn the current iteration is (flipped before each iteration, warmups included), and the measured
     * operations of each side, whose ratio is printed at the end of the trial.
     */
    @State(Scope.Benchmark)
    public static class Turn
    {
        volatile boolean log = true;
        final AtomicLong commits = new AtomicLong();
        final AtomicLong walTwoRecords = new AtomicLong();

        @Setup(Level.Iteration)
        public void flip()
        {
            log = !log;
        }

        @TearDown(Level.Trial)
        public void report()
        {
            final long wal = walTwoRecords.get();
            System.out.printf("%nmeasured turns: %,d commits, %,d two-record appends; commits / walTwoRecords = %.3f%n",
                commits.get(), wal, wal == 0 ? Double.NaN : commits.get() / (double)wal);
        }
    }

    /** Each thread's operations of the iteration, by side; reported as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts
    {
        public long commits;
        public long walTwoRecords;

        @Setup(Level.Iteration)
        public void clear()
        {
            commits = 0;
            walTwoRecords = 0;
        }

        @TearDown(Level.Iteration)
        public void add(final Turn turn, final IterationParams iteration)
        {
            if (iteration.getType() == IterationType.MEASUREMENT)
            {
                turn.commits.addAndGet(commits);
                turn.walTwoRecords.addAndGet(walTwoRecords);
            }
        }
    }

    private static long either(final CommitBenchmark.Engine engine, final CommitBenchmark.Log log,
        final CommitBenchmark.Writer writer, final Turn turn, final Counts counts)
    {
        if (turn.log)
        {
            counts.walTwoRecords++;
            return CommitBenchmark.appendTwo(log, writer);
        }
        counts.commits++;
        return CommitBenchmark.commitOne(engine, writer);
    }

    @Benchmark
    @Threads(1)
    public long pair_1thread(final CommitBenchmark.Engine engine, final CommitBenchmark.Log log,
        final CommitBenchmark.Writer writer, final Turn turn, final Counts counts)
    {
        return either(engine, log, writer, turn, counts);
    }

    @Benchmark
    @Threads(4)
    public long pair_4threads(final CommitBenchmark.Engine engine, final CommitBenchmark.Log log,
        final CommitBenchmark.Writer writer, final Turn turn, final Counts counts)
    {
        return either(engine, log, writer, turn, counts);
    }

    @Benchmark
    @Threads(16)
    public long pair_16threads(final CommitBenchmark.Engine engine, final CommitBenchmark.Log log,
        final CommitBenchmark.Writer writer, final Turn turn, final Counts counts)
    {
        return either(engine, log, writer, turn, counts);
    }

    @Benchmark
    @Threads(64)
    public long pair_64threads(final CommitBenchmark.Engine engine, final CommitBenchmark.Log log,
        final CommitBenchmark.Writer writer, final Turn turn, final Counts counts)
    {
        return either(engine, log, writer, turn, counts);
    }
}
