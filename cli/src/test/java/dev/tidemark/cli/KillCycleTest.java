package dev.tidemark.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * random moment, on the real file system, and the same directory is reopened and checked, cycle after cycle. The
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
        runCycles(20, 7);
    }

    @Test
    @Tag("stress")
    void shouldKeepEveryAcknowledgedCommitThroughManyKillCycles()
    {
        runCycles(500, 11);
    }

    private void runCycles(final int cycles, final long seed)
    {
        final Path dir = temp.resolve("killed");
        final SplittableRandom random = new SplittableRandom(seed);
        long acknowledged = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            final CrashRun run = CrashRun.start(dir, true);
            acknowledged = Math.max(acknowledged, run.killAfter(50 + random.nextInt(700)));
            final String context = "cycle " + cycle + ", " + run.signal() + ", acknowledged " + acknowledged;
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
    }
}
