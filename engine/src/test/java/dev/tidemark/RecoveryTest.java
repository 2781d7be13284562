package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.recovery.RecoveryReport;
import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restart recovery on the simulated file system: a workload of committed, running and rolled-back transactions,
 * a crash in each mode of the file system, and a reopen that must show exactly the committed data (every SYNC
 * commit acknowledged before the crash, nothing of a transaction that did not commit), pass {@code verify()},
 * and come back to the same state when it crashes again right after recovering.
 */
class RecoveryTest
{
    private static final Path DIR = Path.of("/db");

    private static DatabaseOptions options(final SimulatedFileSystem fs)
    {
        return DatabaseOptions.builder().fileIo(fs).cacheBytes(64 * 8192).walSegmentSize(1 << 20).build();
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The acknowledged state: what committed SYNC transactions left, in key order. */
    private static Map<String, String> runWorkload(final Database db, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Keyspace keyspace = db.keyspace("accounts");
        final Map<String, String> committed = new TreeMap<>();
        try (Transaction load = db.begin())
        {
            for (int i = 0; i < 300; i++)
            {
                final String key = String.format("key-%04d", i);
                final String value = "v0-" + i + "-" + "x".repeat(random.nextInt(200));
                load.put(keyspace, bytes(key), bytes(value));
                committed.put(key, value);
            }
            load.commit();
        }
        if (random.nextBoolean())
        {
            db.checkpoint();
        }
        // a writer that is still running at the crash: a loser
        final Transaction running = db.begin();
        for (int i = 0; i < 40; i++)
        {
            running.put(keyspace, bytes(String.format("key-%04d", 1000 + i)), bytes("uncommitted"));
        }
        for (int round = 0; round < 20; round++)
        {
            try (Transaction txn = db.begin())
            {
                final String key = String.format("key-%04d", random.nextInt(300));
                if (random.nextInt(4) == 0)
                {
                    txn.delete(keyspace, bytes(key));
                    txn.commit();
                    committed.remove(key);
                }
                else
                {
                    final String value = "v" + (round + 1) + "-" + "y".repeat(random.nextInt(3000));
                    txn.put(keyspace, bytes(key), bytes(value));
                    txn.commit();
                    committed.put(key, value);
                }
            }
            if (round == 10)
            {
                // a transaction that rolled back before the crash, and one rolled back to a savepoint
                try (Transaction undone = db.begin())
                {
                    undone.put(keyspace, bytes("key-0001"), bytes("rolled back"));
                    undone.rollback();
                }
                try (Transaction partial = db.begin())
                {
                    partial.put(keyspace, bytes("key-0002"), bytes("kept"));
                    final Savepoint savepoint = partial.savepoint();
                    partial.put(keyspace, bytes("key-0003"), bytes("undone by rollbackTo"));
                    partial.rollbackTo(savepoint);
                    partial.commit();
                    committed.put("key-0002", "kept");
                }
            }
        }
        running.put(keyspace, bytes("key-0005"), bytes("uncommitted overwrite"));
        return committed;
    }

    private static Map<String, String> contents(final Database db)
    {
        final Map<String, String> found = new TreeMap<>();
        final Keyspace keyspace = db.findKeyspace("accounts").orElseThrow();
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(keyspace, null, null))
        {
            while (cursor.next())
            {
                found.put(text(cursor.key()), text(cursor.value()));
            }
            txn.commit();
        }
        return found;
    }

    /** Stops the threads of a database whose file system crashed; its close fails, which is expected. */
    private static void abandon(final Database db)
    {
        try
        {
            db.close();
        }
        catch (final RuntimeException expected)
        {
            // the file system is gone: the close cannot checkpoint
        }
    }

    @ParameterizedTest
    @EnumSource(CrashMode.class)
    void shouldRecoverExactlyTheCommittedDataAfterACrash(final CrashMode mode)
    {
        for (long seed = 1; seed <= 3; seed++)
        {
            final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
            final Database db = Database.open(DIR, options(fs));
            final Map<String, String> committed = runWorkload(db, seed);
            final SimulatedFileSystem rebooted = fs.crash(mode, seed * 31);
            abandon(db);

            final List<String> context = new ArrayList<>(List.of("mode " + mode, "seed " + seed));
            try (Database recovered = Database.open(DIR, options(rebooted)))
            {
                final RecoveryReport report = recovered.recoveryReport().orElseThrow();
                context.add(report.toString());
                assertThat(report.transactionsUndone()).as("%s", context).isGreaterThanOrEqualTo(1);
                assertThat(contents(recovered)).as("%s", context).isEqualTo(committed);
                assertThat(recovered.verify().problems()).as("%s", context).isEmpty();
            }
            // recovery that crashes again at once (before any new work) reaches the same state
            final SimulatedFileSystem again = rebooted.crash(CrashMode.DROP_ALL, seed);
            try (Database reopened = Database.open(DIR, options(again)))
            {
                assertThat(contents(reopened)).as("%s after a second crash", context).isEqualTo(committed);
                assertThat(reopened.verify().problems()).as("%s", context).isEmpty();
            }
        }
    }

    @Test
    void shouldRecoverARecoveryThatCrashedWhileUndoing()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(77);
        final Database db = Database.open(DIR, options(fs));
        final Map<String, String> committed = runWorkload(db, 77);
        SimulatedFileSystem current = fs.crash(CrashMode.DROP_ALL, 5);
        abandon(db);
        // crash the first recovery after a growing number of its I/O operations, then recover for real
        for (int operations = 5; operations < 4000; operations += 397)
        {
            current.faults().crashAtOperation(operations);
            try (Database attempt = Database.open(DIR, options(current)))
            {
                assertThat(contents(attempt)).isEqualTo(committed);
                break;
            }
            catch (final RuntimeException crashed)
            {
                current = current.crash(CrashMode.RANDOM_PREFIX, operations);
            }
        }
        try (Database recovered = Database.open(DIR, options(current.crash(CrashMode.DROP_ALL, 9))))
        {
            assertThat(contents(recovered)).isEqualTo(committed);
            assertThat(recovered.verify().problems()).isEmpty();
        }
    }

    @Test
    void shouldStopAndLeaveARollbackThatFailedToRecovery()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(21);
        final DatabaseOptions small = DatabaseOptions.builder().fileIo(fs).cacheBytes(16 * 8192)
            .walSegmentSize(1 << 20).checkpointInterval(java.time.Duration.ZERO).checkpointLogBytes(0).build();
        final Map<String, String> committed = new TreeMap<>();
        final Database db = Database.open(DIR, small);
        final Keyspace keyspace = db.keyspace("accounts");
        try (Transaction load = db.begin())
        {
            for (int i = 0; i < 1500; i++)
            {
                final String key = String.format("key-%04d", i);
                load.put(keyspace, bytes(key), bytes("committed " + i + " " + "c".repeat(200)));
                committed.put(key, "committed " + i + " " + "c".repeat(200));
            }
            load.commit();
        }
        final Transaction failing = db.begin();
        for (int i = 0; i < 1500; i++)
        {
            // more pages than the cache holds: the rollback has to read evicted leaves back
            failing.put(keyspace, bytes(String.format("key-%04d", i)), bytes("never committed " + i));
        }
        fs.faults().failFrom(dev.tidemark.testkit.fs.OpKind.READ, fs.faults().operationCount(
            dev.tidemark.testkit.fs.OpKind.READ) + 1);
        final RuntimeException rollbackFailure = org.assertj.core.api.Assertions.catchRuntimeException(
            failing::rollback);
        assertThat(rollbackFailure).as("the rollback reads a page that fails").isNotNull();
        fs.faults().clear();
        // the database stopped: its versions may still be in the trees, so nothing more is taken, checkpoints
        // included (a checkpoint would drop the transaction from its table and retire its log)
        org.assertj.core.api.Assertions.assertThatThrownBy(db::begin).isInstanceOf(FailStopException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(db::checkpoint).isInstanceOf(FailStopException.class);
        assertThat(db.stats()).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(db::close).isInstanceOf(FailStopException.class);
        // a power cut after the failed close, then restart recovery finishes the rollback
        try (Database recovered = Database.open(DIR, DatabaseOptions.builder().fileIo(fs.crash(CrashMode.DROP_ALL, 1))
            .cacheBytes(16 * 8192).walSegmentSize(1 << 20).build()))
        {
            assertThat(recovered.recoveryReport().orElseThrow().transactionsUndone()).isEqualTo(1);
            assertThat(contents(recovered)).isEqualTo(committed);
            assertThat(recovered.verify().problems()).isEmpty();
        }
    }
}
