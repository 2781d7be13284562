package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import dev.tidemark.testkit.history.KvHistory;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash at each named {@link CrashPoint}, in each crash mode of the simulated file system: the machine halts
 * the moment the engine reaches the point; the reopened database passes the {@link KvHistory} oracles (every
 * acknowledged commit, nothing of a transaction that did not commit, a commit in doubt whole or not at all) and
 * {@code verify()}. The recovery points crash a recovery, which the
 * next open must finish.
 */
class CrashPointTest
{
    private static final Path DIR = Path.of("/db");

    private static DatabaseOptions options(final SimulatedFileSystem fs)
    {
        return DatabaseOptions.builder().fileIo(fs).cacheBytes(32 * 8192).walSegmentSize(1 << 20)
            .checkpointInterval(Duration.ZERO).checkpointLogBytes(0).build();
    }

    @AfterEach
    void disarm()
    {
        CrashPoints.disarm();
    }

    static java.util.stream.Stream<Arguments> pointsAndModes()
    {
        return java.util.stream.Stream.of(CrashPoint.values())
            .filter(point -> point != CrashPoint.RECOVERY_REDO && point != CrashPoint.RECOVERY_UNDO)
            .flatMap(point -> java.util.stream.Stream.of(CrashMode.values()).map(mode -> Arguments.of(point, mode)));
    }

    /**
     * Commits one key per transaction (a few overwrite an earlier key), with a checkpoint every 20 commits, until
     * the file system halts, recording each transaction and what became of it.
     */
    private static KvHistory runUntilHalted(final Database db, final SimulatedFileSystem fs)
    {
        final KvHistory history = new KvHistory();
        for (int i = 0; i < 400 && !fs.isHalted(); i++)
        {
            final byte[] key = Kv.b(String.format("key-%04d", i % 7 == 6 ? i - 3 : i));
            final byte[] value = Kv.b("value-" + i + "-" + "y".repeat(i % 150));
            final KvHistory.Txn record = history.begin();
            try
            {
                final Keyspace keyspace = db.keyspace("k");
                try (Transaction txn = db.begin())
                {
                    txn.put(keyspace, key, value);
                    record.put(key, value);
                    record.committing();
                    txn.commit();
                    record.acknowledged();
                }
                if (i % 20 == 19)
                {
                    db.checkpoint();
                }
            }
            catch (final RuntimeException stopped)
            {
                break;
            }
        }
        return history;
    }

    private static void abandon(final Database db)
    {
        try
        {
            db.close();
        }
        catch (final RuntimeException expected)
        {
            // the machine halted: the close cannot checkpoint
        }
    }

    private static void check(final Database db, final KvHistory history, final String context)
    {
        assertThat(history.check(Kv.committedBytes(db, db.keyspace("k")))).as(context).isEmpty();
        assertThat(db.verify().problems()).as(context).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pointsAndModes")
    void shouldKeepEveryAcknowledgedCommitAfterACrashAtThePoint(final CrashPoint point, final CrashMode mode)
    {
        for (final int arrival : new int[] {1, 4})
        {
            final long seed = point.ordinal() * 100L + mode.ordinal() * 10L + arrival;
            final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
            final Database db = Database.open(DIR, options(fs));
            CrashPoints.arm(point, arrival, fs::halt);
            final KvHistory history = runUntilHalted(db, fs);
            assertThat(CrashPoints.fired()).as("%s reached %d times", point, arrival).isTrue();
            CrashPoints.disarm();
            abandon(db);
            final String context = point + " #" + arrival + ", " + mode;
            try (Database recovered = Database.open(DIR, options(fs.crash(mode, seed))))
            {
                check(recovered, history, context);
            }
        }
    }

    @Test
    void shouldFinishARecoveryThatCrashedInEachPass()
    {
        for (final CrashPoint point : new CrashPoint[] {CrashPoint.RECOVERY_REDO, CrashPoint.RECOVERY_UNDO})
        {
            final SimulatedFileSystem fs = new SimulatedFileSystem(point.ordinal());
            final Database db = Database.open(DIR, options(fs));
            final KvHistory history = new KvHistory();
            final Keyspace keyspace = db.keyspace("k");
            for (int i = 0; i <= 50; i++)
            {
                if (i == 50)
                {
                    // two losers for the undo pass: running at the crash, their records forced by the last commit
                    for (final int key : new int[] {1, 2})
                    {
                        final Transaction loser = db.begin();
                        loser.put(keyspace, Kv.b("key-" + key), Kv.b("never committed " + key));
                        history.begin().put(Kv.b("key-" + key), Kv.b("never committed " + key));
                    }
                }
                final KvHistory.Txn record = history.begin();
                try (Transaction txn = db.begin())
                {
                    txn.put(keyspace, Kv.b("key-" + i), Kv.b("value-" + i));
                    record.put(Kv.b("key-" + i), Kv.b("value-" + i));
                    record.committing();
                    txn.commit();
                    record.acknowledged();
                }
            }
            final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, 3);
            abandon(db);

            CrashPoints.arm(point, 2, rebooted::halt);
            try (Database attempt = Database.open(DIR, options(rebooted)))
            {
                throw new AssertionError("recovery should have crashed at " + point + ", it opened " + attempt);
            }
            catch (final RuntimeException crashed)
            {
                assertThat(CrashPoints.fired()).as("%s reached", point).isTrue();
            }
            CrashPoints.disarm();
            try (Database recovered = Database.open(DIR, options(rebooted.crash(CrashMode.RANDOM_PREFIX, 5))))
            {
                assertThat(recovered.recoveryReport()).isPresent();
                check(recovered, history, "after a recovery that crashed at " + point);
            }
        }
    }
}
