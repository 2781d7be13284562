package dev.tidemark.testkit;

import dev.tidemark.recovery.RecoveryReport;
import java.util.List;
import java.util.Optional;

/**
 * What one {@link CrashTest#run()} found: where the crash came, what recovery did, and every oracle violation.
 */
public final class CrashResult
{
    private final String description;
    private final boolean crashedBeforeClose;
    private final Throwable failure;
    private final RecoveryReport recovery;
    private final List<String> problems;

    CrashResult(final String description, final boolean crashedBeforeClose, final RecoveryReport recovery,
        final List<String> problems, final Throwable failure)
    {
        this.description = description;
        this.crashedBeforeClose = crashedBeforeClose;
        this.failure = failure;
        this.recovery = recovery;
        this.problems = List.copyOf(problems);
    }

    /** @return the run's settings (seed, crash, mode) and the simulated file system's state, to replay it */
    public String description()
    {
        return description;
    }

    /**
     * @return whether the crash came while the workload ran or while the database closed after it; false when the
     * machine crashed after the workload returned (no crash setting) or after the close (the crash index lay beyond
     * the run's operations)
     */
    public boolean crashedBeforeClose()
    {
        return crashedBeforeClose;
    }

    /** @return what restart recovery did, when the reopen found the database not closed cleanly */
    public Optional<RecoveryReport> recoveryReport()
    {
        return Optional.ofNullable(recovery);
    }

    /**
     * @return the violations found: oracles O1–O4, {@code verify()} (O6), the invariant (O5), or a recovery or reopen
     * that failed; empty when everything held
     */
    public List<String> problems()
    {
        return problems;
    }

    /**
     * @throws AssertionError naming every violation and how to replay the run, when there is any
     */
    public void assertHeld()
    {
        if (!problems.isEmpty())
        {
            throw new AssertionError(description + ": " + problems.size() + " problem(s):\n  - "
                + String.join("\n  - ", problems), failure);
        }
    }

    @Override
    public String toString()
    {
        return description + (problems.isEmpty() ? ": held" : ": " + problems);
    }
}
