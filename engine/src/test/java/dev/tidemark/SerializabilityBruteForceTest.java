package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brute-force serializability (TESTING.md, isolation driver 4; PostgreSQL's isolation tester in spirit): many small
 * random SERIALIZABLE scripts (2–3 transactions of 2–4 steps on 2–3 keys, with scans over all or part of the
 * keyspace, inserts and deletes), each run under a random interleaving forced step by step by a {@link StepDriver}.
 * For every outcome the committed transactions must have seen exactly what some serial order of them would have
 * seen, and left the state that order leaves. A serial schedule must commit every transaction.
 *
 * <p>{@code -Dtidemark.seed} replays a run, {@code -Dtidemark.bruteforce.scripts} sets how many scripts run and
 * {@code -Dtidemark.bruteforce.only=i} runs script {@code i} of the run alone; {@code -Dtidemark.bruteforce.txns}
 * raises the most transactions per script (3 by default). The {@code stress} profile runs 10,000 scripts of up to
 * four transactions.
 */
class SerializabilityBruteForceTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMatchASerialOrderInEveryOutcomeOfRandomScripts() throws InterruptedException
    {
        final Tally tally = run(IsolationLevel.SERIALIZABLE, Integer.getInteger("tidemark.bruteforce.scripts", 500),
            Integer.getInteger("tidemark.bruteforce.txns", 3));
        assertThat(tally.unexplained).as("outcomes no serial order explains").isEmpty();
        assertThat(tally.problems).isEmpty();
    }

    @Tag("stress")
    @Test
    void shouldMatchASerialOrderInEveryOutcomeOfManyRandomScriptsOfUpToFourTransactions() throws InterruptedException
    {
        final Tally tally = run(IsolationLevel.SERIALIZABLE, 10_000, 4);
        assertThat(tally.unexplained).as("outcomes no serial order explains").isEmpty();
        assertThat(tally.problems).isEmpty();
    }

    /** The oracle has teeth: SNAPSHOT allows write skew, so some outcomes match no serial order. */
    @Test
    void shouldFindOutcomesThatNoSerialOrderExplainsAtSnapshot() throws InterruptedException
    {
        final Tally tally = run(IsolationLevel.SNAPSHOT, 300, 3);
        assertThat(tally.unexplained).as("outcomes no serial order explains at SNAPSHOT").isNotEmpty();
        assertThat(tally.problems).isEmpty();
    }

    private Tally run(final IsolationLevel level, final int scripts, final int maxTxns) throws InterruptedException
    {
        final long seed = TestSeeds.seed("brute-force serializability at " + level);
        final Integer only = Integer.getInteger("tidemark.bruteforce.only");
        final Tally tally = new Tally();
        final long start = System.nanoTime();
        try (Database db = Database.open(dir, DatabaseOptions.builder().durability(Durability.NONE)
            .lockTimeout(Duration.ofSeconds(5)).build());
            StepDriver driver = new StepDriver(db, level))
        {
            for (int i = 0; i < scripts; i++)
            {
                if (only == null || only == i)
                {
                    runScript(db, driver, new Random(seed + i), maxTxns, "script " + i + " (seed " + seed
                        + ", -Dtidemark.bruteforce.only=" + i + ")", tally);
                }
            }
            assertThat(db.verify().isValid()).as("verify: %s", db.verify()).isTrue();
        }
        System.out.printf("brute force at %s: %d scripts (%d serial schedules, %d with an abort, %d with a blocked "
            + "step, %d unexplained) in %d ms%n", level, scripts, tally.serial, tally.aborted, tally.blocked,
            tally.unexplained.size(), (System.nanoTime() - start) / 1_000_000);
        return tally;
    }

    private static void runScript(final Database db, final StepDriver driver, final Random random, final int maxTxns,
        final String name, final Tally tally) throws InterruptedException
    {
        final Script script = Script.random(random, maxTxns);
        final boolean serialSchedule = random.nextInt(4) == 0;
        final Keyspace keyspace = db.keyspace("script-" + tally.count++);
        load(db, keyspace, script.initial);
        final ScheduleOutcome outcome = driver.run(script, keyspace, serialSchedule
            ? runnable -> runnable.get(0) : runnable -> runnable.get(random.nextInt(runnable.size())));
        final String where = name + ": " + script + "\n  " + outcome;
        if (script.serialOrder(outcome) == null)
        {
            tally.unexplained.add("no serial order of the committed transactions explains " + where);
        }
        if (serialSchedule && outcome.committedCount() < script.txns.size())
        {
            tally.problems.add("a serial schedule aborted: " + where);
        }
        if (!db.lockWaits().isEmpty())
        {
            tally.problems.add("lock waits left behind " + db.lockWaits() + " by " + where);
        }
        tally.aborted += outcome.committedCount() < script.txns.size() ? 1 : 0;
        tally.blocked += outcome.blockedCount() > 0 ? 1 : 0;
        tally.serial += serialSchedule ? 1 : 0;
    }

    /** What a run of scripts found. */
    private static final class Tally
    {
        final List<String> unexplained = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int count;
        int aborted;
        int blocked;
        int serial;
    }

    static void load(final Database db, final Keyspace keyspace, final Map<String, String> state)
    {
        if (state.isEmpty())
        {
            return;
        }
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT))
        {
            state.forEach((k, v) -> txn.put(keyspace, ScriptStep.bytes(k), ScriptStep.bytes(v)));
            txn.commit();
        }
    }
}
