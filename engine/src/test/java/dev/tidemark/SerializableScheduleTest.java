package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixed SERIALIZABLE schedules, driven step by step by a {@link StepDriver}, for dependency structures that small
 * random scripts rarely build: the outcome must match a serial order of the committed transactions, and a
 * transaction that is part of no dangerous structure must commit.
 */
class SerializableScheduleTest
{
    @TempDir
    Path dir;

    /**
     * W1 reads a, Y overwrites a and commits, R begins, W1 writes k and commits, W2 overwrites k, and only then R
     * reads k and a. R sees k before W1 (R → W1), W1 missed Y's a (W1 → Y) and R sees Y's a (Y → R): a cycle
     * whose pivot W1 must not have committed with R; some transaction has to abort. When R reads k the newest
     * version is W2's, not W1's, so the read must account for every version its snapshot skips. (R may fail at
     * that read already; the schedule then goes on with the others.)
     */
    @Test
    void shouldAbortAReaderThatSkipsTwoNewerVersionsWhenTheOlderWriterIsACommittedPivot() throws Exception
    {
        final Script script = new Script(Map.of("a", "a0", "k", "k0"), List.of(
            List.of(ScriptStep.get("a"), ScriptStep.put("k", "k1")),
            List.of(ScriptStep.put("a", "a1")),
            List.of(ScriptStep.get("k"), ScriptStep.get("a")),
            List.of(ScriptStep.put("k", "k2"))));
        try (Database db = open(); StepDriver driver = new StepDriver(db, IsolationLevel.SERIALIZABLE))
        {
            final Keyspace keyspace = db.keyspace("pivot");
            SerializabilityBruteForceTest.load(db, keyspace, script.initial);
            final ScheduleOutcome outcome = driver.run(script, keyspace,
                StepDriver.following(0, 0, 1, 1, 1, 2, 0, 0, 3, 3, 2));
            assertThat(script.serialOrder(outcome)).as("a serial order explaining %s%n  %s", script, outcome)
                .isNotNull();
            assertThat(outcome.committedCount()).isLessThan(4);
        }
    }

    /** The same structure with R reading k while W1's version is still the newest: here the engine aborts. */
    @Test
    void shouldAbortAReaderThatSkipsOneNewerVersionWhenItsWriterIsACommittedPivot() throws Exception
    {
        final Script script = new Script(Map.of("a", "a0", "k", "k0"), List.of(
            List.of(ScriptStep.get("a"), ScriptStep.put("k", "k1")),
            List.of(ScriptStep.put("a", "a1")),
            List.of(ScriptStep.get("k"), ScriptStep.get("a"))));
        try (Database db = open(); StepDriver driver = new StepDriver(db, IsolationLevel.SERIALIZABLE))
        {
            final Keyspace keyspace = db.keyspace("pivot");
            SerializabilityBruteForceTest.load(db, keyspace, script.initial);
            final ScheduleOutcome outcome = driver.run(script, keyspace,
                StepDriver.following(0, 0, 1, 1, 1, 2, 0, 0, 2, 2, 2));
            assertThat(script.serialOrder(outcome)).as("a serial order explaining %s%n  %s", script, outcome)
                .isNotNull();
            assertThat(outcome.committedCount()).isLessThan(3);
        }
    }

    /**
     * In a new database, R (read-only) reads k and commits before any transaction has committed a write. Later T
     * reads j, U writes j and commits (T → U), and T writes k. R ended before T began, so R and T are not
     * concurrent and T is no pivot: all three must commit.
     */
    @Test
    void shouldNotTreatAReadOnlyTransactionThatCommittedBeforeAnyWriteAsConcurrentWithLaterOnes() throws Exception
    {
        final Script script = new Script(Map.of(), List.of(
            List.of(ScriptStep.get("k")),
            List.of(ScriptStep.get("j"), ScriptStep.put("k", "t")),
            List.of(ScriptStep.put("j", "u"))));
        try (Database db = open(); StepDriver driver = new StepDriver(db, IsolationLevel.SERIALIZABLE))
        {
            final ScheduleOutcome outcome = driver.run(script, db.keyspace("fresh"),
                StepDriver.following(0, 0, 0, 1, 1, 2, 2, 2, 1, 1));
            assertThat(outcome.committedCount()).as("committed transactions of %s%n  %s", script, outcome)
                .isEqualTo(3);
        }
    }

    /**
     * The serializable bookkeeping of a transaction is dropped once no running transaction overlaps it, also for
     * a read-only transaction that committed before any write did.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldForgetEveryEndedTransactionOnceNoneRunsBesideIt(final boolean writeFirst)
    {
        try (Database db = open())
        {
            final Keyspace keyspace = db.keyspace("forget");
            if (writeFirst)
            {
                SerializabilityBruteForceTest.load(db, keyspace, Map.of("x", "1"));
            }
            try (Transaction reader = db.begin(IsolationLevel.SERIALIZABLE))
            {
                reader.get(keyspace, ScriptStep.bytes("k"));
                reader.commit();
            }
            try (Transaction writer = db.begin(IsolationLevel.SERIALIZABLE))
            {
                writer.put(keyspace, ScriptStep.bytes("j"), ScriptStep.bytes("v"));
                writer.commit();
            }
            db.txns().refresh();
            try (Transaction last = db.begin(IsolationLevel.SERIALIZABLE))
            {
                last.get(keyspace, ScriptStep.bytes("j"));
                last.commit();
            }
            assertThat(db.ssi().trackedCount()).as("serializable transactions still tracked once all ended")
                .isZero();
        }
    }

    /** The schedule above once any write has committed before R: all three commit. */
    @Test
    void shouldCommitAllThreeWhenAWriteCommittedBeforeTheReadOnlyTransaction() throws Exception
    {
        final Script script = new Script(Map.of(), List.of(
            List.of(ScriptStep.get("k")),
            List.of(ScriptStep.get("j"), ScriptStep.put("k", "t")),
            List.of(ScriptStep.put("j", "u"))));
        try (Database db = open(); StepDriver driver = new StepDriver(db, IsolationLevel.SERIALIZABLE))
        {
            SerializabilityBruteForceTest.load(db, db.keyspace("other"), Map.of("x", "1"));
            final ScheduleOutcome outcome = driver.run(script, db.keyspace("fresh"),
                StepDriver.following(0, 0, 0, 1, 1, 2, 2, 2, 1, 1));
            assertThat(outcome.committedCount()).as("committed transactions of %s%n  %s", script, outcome)
                .isEqualTo(3);
        }
    }

    private Database open()
    {
        return Database.open(dir, DatabaseOptions.builder().durability(Durability.NONE).build());
    }
}
