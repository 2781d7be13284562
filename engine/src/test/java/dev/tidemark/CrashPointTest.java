package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash at each named {@link CrashPoint}, in each crash mode of the simulated file system: the machine halts
 * the moment the engine reaches the point; the reopened database holds every acknowledged commit, nothing of a
 * transaction that did not commit, and passes {@code verify()}. The recovery points crash a recovery, which the
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

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
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

    /** What the workload knows when it stops: acknowledged commits, and commits whose outcome it never learned. */
    private static final class Outcome
    {
        final Map<String, String> acknowledged = new TreeMap<>();
        final Map<String, String> inDoubt = new HashMap<>();
    }

    /**
     * Commits one key per transaction (a few overwrite an earlier key), with a checkpoint every 20 commits, until
     * the file system halts. Every key is written by one transaction at most once more, so the value tells which.
     */
    private static Outcome runUntilHalted(final Database db, final SimulatedFileSystem fs)
    {
        final Outcome outcome = new Outcome();
        for (int i = 0; i < 400 && !fs.isHalted(); i++)
        {
            final String key = String.format("key-%04d", i % 7 == 6 ? i - 3 : i);
            final String value = "value-" + i + "-" + "y".repeat(i % 150);
            try
            {
                final Keyspace keyspace = db.keyspace("k");
                try (Transaction txn = db.begin())
                {
                    txn.put(keyspace, bytes(key), bytes(value));
                    outcome.inDoubt.put(key, value);
                    txn.commit();
                }
                outcome.inDoubt.remove(key);
                outcome.acknowledged.put(key, value);
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
        return outcome;
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

    private static void check(final Database db, final Outcome outcome, final String context)
    {
        final Map<String, String> found = new TreeMap<>();
        final Keyspace keyspace = db.keyspace("k");
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(keyspace, null, null))
        {
            while (cursor.next())
            {
                found.put(text(cursor.key()), text(cursor.value()));
            }
            txn.commit();
        }
        for (final Map.Entry<String, String> entry : outcome.acknowledged.entrySet())
        {
            final String value = found.get(entry.getKey());
            final String doubt = outcome.inDoubt.get(entry.getKey());
            assertThat(value).as("%s: acknowledged key %s", context, entry.getKey())
                .isIn(entry.getValue(), doubt == null ? entry.getValue() : doubt);
        }
        for (final Map.Entry<String, String> entry : found.entrySet())
        {
            assertThat(entry.getValue()).as("%s: key %s holds what no transaction that may have committed wrote",
                context, entry.getKey()).isIn(outcome.acknowledged.get(entry.getKey()),
                outcome.inDoubt.get(entry.getKey()));
        }
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
            final Outcome outcome = runUntilHalted(db, fs);
            assertThat(CrashPoints.fired()).as("%s reached %d times", point, arrival).isTrue();
            CrashPoints.disarm();
            abandon(db);
            final String context = point + " #" + arrival + ", " + mode + ", " + outcome.acknowledged.size()
                + " acknowledged";
            try (Database recovered = Database.open(DIR, options(fs.crash(mode, seed))))
            {
                check(recovered, outcome, context);
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
            final Outcome outcome = new Outcome();
            final Keyspace keyspace = db.keyspace("k");
            for (int i = 0; i < 50; i++)
            {
                try (Transaction txn = db.begin())
                {
                    txn.put(keyspace, bytes("key-" + i), bytes("value-" + i));
                    txn.commit();
                }
                outcome.acknowledged.put("key-" + i, "value-" + i);
            }
            // two losers for the undo pass: running at the crash, their records forced by a later commit
            final Transaction loser = db.begin();
            loser.put(keyspace, bytes("key-1"), bytes("never committed"));
            final Transaction other = db.begin();
            other.put(keyspace, bytes("key-2"), bytes("never committed either"));
            try (Transaction txn = db.begin())
            {
                txn.put(keyspace, bytes("key-50"), bytes("value-50"));
                txn.commit();
            }
            outcome.acknowledged.put("key-50", "value-50");
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
                check(recovered, outcome, "after a recovery that crashed at " + point);
            }
        }
    }
}
