package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.CrashPoint;
import dev.tidemark.Database;
import dev.tidemark.recovery.RecoveryReport;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM ({@link CrashLoad} with its concurrent load: sequential SYNC commits, SERIALIZABLE transfers,
 * batches that grow and shrink the tree, a transaction left running, checkpoints) is killed with SIGKILL at a
 * random moment or halts itself at an armed crash point, and the same directory is reopened and checked, cycle
 * after cycle: on the real file system, and
 * with the child on the in-process buffering layer ({@link BufferedCrashLoad}), where the kill also loses every
 * write the child did not force (on the real file system alone the page cache keeps them). The
 * oracle is the child's output: every commit it acknowledged ({@code OK n}) must be there, without gaps; nothing of
 * the running transaction; the bank's total unchanged; no batch in part; {@code verify()} clean.
 */
class KillCycleTest
{
    @TempDir
    Path temp;

    @Test
    void shouldKeepEveryAcknowledgedCommitThroughKillCycles()
    {
        runCycles(20, 7, false);
    }

    @Test
    void shouldKeepEveryAcknowledgedCommitThroughKillCyclesThatLoseUnforcedWrites()
    {
        runCycles(20, 8, true);
    }

    @Test
    @Tag("stress")
    void shouldKeepEveryAcknowledgedCommitThroughManyKillCycles()
    {
        runCycles(500, 11, false);
    }

    @Test
    @Tag("stress")
    void shouldKeepEveryAcknowledgedCommitThroughManyKillCyclesThatLoseUnforcedWrites()
    {
        runCycles(500, 12, true);
    }

    /**
     * @param buffered whether the child runs on the {@link dev.tidemark.testkit.fs.BufferingFileIo}, so that the
     *                 kill also loses every write it did not force (the parent always reopens on the real disk)
     */
    private void runCycles(final int cycles, final long seed, final boolean buffered)
    {
        final Path dir = temp.resolve("killed");
        final SplittableRandom random = new SplittableRandom(seed);
        long acknowledged = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            // one cycle in three arms a crash point at which the child halts itself (if the kill does not come first)
            final String crashAt = random.nextInt(3) == 0 ? crashPoint(random) : null;
            final CrashRun run = CrashRun.start(dir, true,
                buffered ? BufferedCrashLoad.class.getName() : CrashLoad.class.getName(), crashAt);
            acknowledged = Math.max(acknowledged, run.killAfter(50 + random.nextInt(700)));
            final String context = (buffered ? "buffered " : "") + "cycle " + cycle + ", " + run.signal()
                + (crashAt == null ? "" : " (armed " + crashAt + ")") + ", acknowledged " + acknowledged;
            System.out.println(context);   // in the test's output file: which cycles halted where
            try (Database db = Database.open(dir))
            {
                final RecoveryReport report = db.recoveryReport().orElseThrow(() ->
                    new AssertionError(context + ": a killed database opened without recovery"));
                final CrashRun.Found found = CrashRun.inspect(db);
                assertThat(found.contiguous()).as("%s; %s: commits without a gap", context, report).isTrue();
                assertThat(found.committed()).as("%s; %s", context, report).isGreaterThanOrEqualTo(acknowledged);
                assertThat(found.uncommitted()).as("%s: keys of the running transaction", context).isZero();
                assertThat(CrashRun.bankTotal(db)).as("%s: the bank's total", context)
                    .isIn(0L, CrashLoad.ACCOUNTS * CrashLoad.OPENING_BALANCE);
                assertThat(CrashRun.partialBatches(db)).as("%s: batches found in part", context).isEmpty();
                assertThat(db.verify().problems()).as("%s", context).isEmpty();
                acknowledged = found.committed();
            }
        }
        // the children did work: a child that failed at start would leave these checks nothing to check
        assertThat(acknowledged).as("commits acknowledged over %d cycles", cycles).isGreaterThan(cycles);
    }

    /** @return a crash point the load reaches, with an arrival late enough that the child acknowledged commits */
    private static String crashPoint(final SplittableRandom random)
    {
        final CrashPoint[] points = {CrashPoint.WAL_WRITTEN_NOT_FORCED, CrashPoint.WAL_FORCED_NOT_ACKNOWLEDGED,
            CrashPoint.PAGES_IN_DOUBLEWRITE, CrashPoint.PAGE_WRITE_MIDWAY, CrashPoint.CHECKPOINT_TABLES_NOT_LOGGED,
            CrashPoint.CHECKPOINT_BEFORE_MASTER_RECORD, CrashPoint.MASTER_RECORD_NOT_RENAMED};
        final CrashPoint point = points[random.nextInt(points.length)];
        // the log is forced per commit; pages and checkpoints come every few hundred commits
        final int arrival = point.name().startsWith("WAL") ? 20 + random.nextInt(400) : 2 + random.nextInt(2);
        return point.name() + ":" + arrival;
    }
}
