package dev.tidemark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.CrashPoint;
import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionAbortedException;
import dev.tidemark.TransactionOptions;
import dev.tidemark.testkit.fs.CrashMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/**
 * The kit on Tidemark itself: a bank-transfer workload whose total never changes, crashed at random operations,
 * at named crash points and during recovery, must keep every oracle; a workload that writes behind the recorder's
 * back, and an invariant that does not hold, must be reported.
 */
class CrashTestTest
{
    private static final int ACCOUNTS = 10;
    private static final long OPENING = 100;

    private static byte[] account(final int a)
    {
        return ("acct-" + a).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] amount(final long value, final long unique)
    {
        // a distinct value per write: the balance, then which write it was
        return ByteBuffer.allocate(16).putLong(value).putLong(unique).array();
    }

    private static long balance(final byte[] value)
    {
        return ByteBuffer.wrap(value).getLong();
    }

    /** Opens the accounts, then moves money between them in SERIALIZABLE transactions. */
    static void transfers(final Database db, final Recorder recorder)
    {
        final Keyspace bank = db.keyspace("bank");
        try (Transaction open = recorder.begin())
        {
            for (int a = 0; a < ACCOUNTS; a++)
            {
                open.put(bank, account(a), amount(OPENING, a));
            }
            open.commit();
        }
        final SplittableRandom random = new SplittableRandom(7);
        for (int t = 0; t < 60; t++)
        {
            final int from = random.nextInt(ACCOUNTS);
            final int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            final long sum = random.nextInt(20);
            try (Transaction txn = recorder.begin(TransactionOptions.builder()
                .isolation(IsolationLevel.SERIALIZABLE).build()))
            {
                final long fromBalance = balance(txn.getForUpdate(bank, account(from)));
                final long toBalance = balance(txn.getForUpdate(bank, account(to)));
                txn.put(bank, account(from), amount(fromBalance - sum, 1000L * t));
                txn.put(bank, account(to), amount(toBalance + sum, 1000L * t + 1));
                txn.commit();
            }
            catch (final TransactionAbortedException retried)
            {
                // one thread: does not happen, but a workload may always meet it
            }
        }
    }

    static void totalIsKept(final Database db)
    {
        final Keyspace bank = db.findKeyspace("bank").orElse(null);
        if (bank == null)
        {
            return; // the crash came before the keyspace was created durably
        }
        long total = 0;
        int accounts = 0;
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(bank, null, null))
        {
            while (cursor.next())
            {
                total += balance(cursor.value());
                accounts++;
            }
        }
        assertThat(accounts == 0 || total == ACCOUNTS * OPENING).as("total of %d accounts: %d", accounts, total)
            .isTrue();
    }

    @Property(tries = 25, shrinking = ShrinkingMode.OFF)
    void shouldKeepTheOraclesAtRandomCrashes(@ForAll final long seed, @ForAll final CrashMode mode)
    {
        final CrashResult result = CrashTest.builder(CrashTestTest::transfers).seed(seed).mode(mode)
            .crashAtRandomOperation().invariant(CrashTestTest::totalIsKept).build().run();
        result.assertHeld();
    }

    @Test
    void shouldCrashAtANamedPointAndDuringRecovery()
    {
        final CrashResult result = CrashTest.builder(CrashTestTest::transfers).seed(3).mode(CrashMode.DROP_ALL)
            .crashAt(CrashPoint.WAL_FORCED_NOT_ACKNOWLEDGED, 20).crashRecoveryAtOperation(15)
            .invariant(CrashTestTest::totalIsKept).build().run();
        result.assertHeld();
        assertThat(result.crashedBeforeClose()).as(result.description()).isTrue();
        assertThat(result.recoveryReport()).isPresent();
    }

    @Test
    void shouldCrashAtEveryOperationOfASmallWorkload()
    {
        final Workload twoCommits = (db, recorder) ->
        {
            final Keyspace ks = db.keyspace("k");
            for (int i = 0; i < 2; i++)
            {
                try (Transaction txn = recorder.begin())
                {
                    txn.put(ks, ("key-" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
                    txn.commit();
                }
            }
        };
        final long operations = CrashTest.builder(twoCommits).build().countOperations();
        assertThat(operations).isPositive();
        for (long k = 1; k <= operations; k++)
        {
            CrashTest.builder(twoCommits).seed(k).mode(CrashMode.values()[(int)(k % CrashMode.values().length)])
                .crashAtOperation(k).build().run().assertHeld();
        }
    }

    @Test
    void shouldReportAWriteTheRecorderWasNotTold()
    {
        final Workload sneaky = (db, recorder) ->
        {
            final Keyspace ks = db.keyspace("k");
            try (Transaction txn = recorder.begin())
            {
                txn.put(ks, "key".getBytes(StandardCharsets.UTF_8), "recorded".getBytes(StandardCharsets.UTF_8));
                txn.commit();
            }
            try (Transaction txn = db.begin())
            {
                txn.put(ks, "key".getBytes(StandardCharsets.UTF_8), "not recorded".getBytes(StandardCharsets.UTF_8));
                txn.commit();
            }
        };
        final CrashResult result = CrashTest.builder(sneaky).mode(CrashMode.DROP_ALL).build().run();
        assertThat(result.problems()).isNotEmpty();
        assertThatThrownBy(result::assertHeld).isInstanceOf(AssertionError.class).hasMessageContaining("seed 1");
    }

    @Test
    void shouldReportAnInvariantThatDoesNotHold()
    {
        final CrashResult result = CrashTest.builder(CrashTestTest::transfers).invariant(db ->
        {
            throw new IllegalStateException("never holds");
        }).build().run();
        assertThat(result.problems()).anyMatch(problem -> problem.contains("never holds"));
    }

    @Test
    void shouldTellAWorkloadFailureFromACrash()
    {
        final Workload failing = (db, recorder) ->
        {
            throw new IllegalArgumentException("a bug in the workload");
        };
        assertThatThrownBy(() -> CrashTest.builder(failing).build().run())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("without a crash")
            .hasRootCauseMessage("a bug in the workload");
    }

    @Test
    void shouldRecordWhatTheEngineKeepsAcrossNestedSavepoints()
    {
        final Workload savepoints = (db, recorder) ->
        {
            final Keyspace ks = db.keyspace("k");
            try (Transaction txn = recorder.begin())
            {
                txn.put(ks, bytes("kept"), bytes("kept"));
                final dev.tidemark.Savepoint first = txn.savepoint();
                txn.put(ks, bytes("a"), bytes("a"));
                final dev.tidemark.Savepoint second = txn.savepoint();
                txn.put(ks, bytes("b"), bytes("b"));
                txn.rollbackTo(first);
                txn.put(ks, bytes("c"), bytes("c"));
                // the engine undoes every write after the second savepoint's place in the log: c too
                txn.rollbackTo(second);
                txn.commit();
            }
        };
        final CrashResult result = CrashTest.builder(savepoints).mode(CrashMode.DROP_ALL).build().run();
        result.assertHeld();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
