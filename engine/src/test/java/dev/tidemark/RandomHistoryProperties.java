package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.history.CheckResult;
import dev.tidemark.history.History;
import dev.tidemark.history.HistoryChecker;
import dev.tidemark.history.TxnRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random list-append histories, checked for the anomalies each isolation level forbids (BRIEF §3, TESTING O10):
 * four threads run thousands of transactions (reads, appends, deletes, range scans) on eight keys, retrying
 * aborted ones with backoff; the recorded history (every attempt, with invoke / ok / fail) goes through
 * {@link HistoryChecker}. {@link SerialHistoryProperties} covers serial histories.
 *
 * <p>{@code -Dtidemark.seed} replays a run's plans (thread timing still varies); {@code -Dtidemark.history.txns}
 * sets the transactions per thread of the default run; the {@code stress} profile runs four times as many, on four
 * times as many keys.
 */
class RandomHistoryProperties
{
    private static final int THREADS = 4;
    private static final int KEYS = 8;
    private static final int MAX_OPS = 5;
    private static final int MAX_ATTEMPTS = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldShowNoAnomalyTheLevelForbidsInConcurrentHistories(final IsolationLevel level) throws Exception
    {
        check(level, Integer.getInteger("tidemark.history.txns", 1_500), KEYS);
    }

    @Tag("stress")
    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldShowNoAnomalyTheLevelForbidsInLongConcurrentHistories(final IsolationLevel level) throws Exception
    {
        // four times the transactions on four times the keys: every read records the whole list it read, so lists
        // as long as four times the default's would make the history grow with the square of its length
        check(level, 6_000, 4 * KEYS);
    }

    private void check(final IsolationLevel level, final int perThread, final int keyCount) throws Exception
    {
        final long seed = TestSeeds.seed("concurrent list-append history at " + level);
        final List<String> keys = ListAppendWorkload.keys(keyCount);
        final History history = new History();
        final long start = System.nanoTime();
        try (Database db = Database.open(dir, DatabaseOptions.builder().durability(Durability.NONE).build()))
        {
            final ListAppendWorkload workload = new ListAppendWorkload(db, "la", level, keys, history);
            final int retried = runThreads(workload, history, keys, seed, perThread);
            final long ran = System.nanoTime();
            final CheckResult result = new HistoryChecker(keys).check(history.records(), workload.finalEvents(),
                workload.finalData());
            System.out.printf("%s: %d transactions (%d needed a retry) in %d ms, checked in %d ms: %s%n", level,
                THREADS * perThread, retried, (ran - start) / 1_000_000, (System.nanoTime() - ran) / 1_000_000,
                result.summary());
            assertThat(result.forbiddenAt(level)).as("anomalies forbidden at %s (seed %d):%n%s", level, seed,
                result.describeForbidden(level)).isEmpty();
            assertThat(result.committed()).isEqualTo(THREADS * perThread);
            if (level == IsolationLevel.SERIALIZABLE)
            {
                assertThat(retried).as("transactions retried at SERIALIZABLE").isPositive()
                    .isLessThan(THREADS * perThread / 2);
            }
            assertThat(db.verify().isValid()).as("verify: %s", db.verify()).isTrue();
        }
    }

    /** @return how many transactions needed more than one attempt */
    private static int runThreads(final ListAppendWorkload workload, final History history, final List<String> keys,
        final long seed, final int perThread) throws Exception
    {
        final AtomicInteger retried = new AtomicInteger();
        final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int process = t;
                done.add(threads.submit(() ->
                {
                    final Random random = new Random(seed + 31L * process);
                    for (int i = 0; i < perThread; i++)
                    {
                        final List<ListAppendWorkload.Planned> plan = ListAppendWorkload.randomPlan(random, keys,
                            MAX_OPS);
                        if (runToCommit(workload, history, process, plan, random) > 1)
                        {
                            retried.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> future : done)
            {
                future.get(120, TimeUnit.SECONDS);
            }
        }
        finally
        {
            threads.shutdownNow();
        }
        return retried.get();
    }

    /** @return the attempts it took to commit {@code plan} */
    private static int runToCommit(final ListAppendWorkload workload, final History history, final int process,
        final List<ListAppendWorkload.Planned> plan, final Random random)
    {
        int attempts = 1;
        while (!workload.attempt(process, plan))
        {
            assertThat(++attempts).as("attempts of one transaction of process %d; its last ones:%n%s", process,
                lastAttempts(history, process)).isLessThan(MAX_ATTEMPTS);
            final long ceiling = Math.min(TimeUnit.MILLISECONDS.toNanos(20), 20_000L << Math.min(attempts, 20));
            LockSupport.parkNanos(ceiling / 2 + (long)(random.nextDouble() * ceiling / 2));
        }
        return attempts;
    }

    private static String lastAttempts(final History history, final int process)
    {
        final StringBuilder text = new StringBuilder();
        final List<TxnRecord> records = history.records();
        int shown = 0;
        for (int i = records.size() - 1; i >= 0 && shown < 4; i--)
        {
            if (records.get(i).process() == process)
            {
                text.append("  ").append(records.get(i)).append('\n');
                shown++;
            }
        }
        return text.toString();
    }
}
