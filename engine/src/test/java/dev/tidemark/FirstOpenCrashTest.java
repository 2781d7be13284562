package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash while {@code Database.open} creates a new database, at every I/O operation of the creation in every
 * crash mode: the next open must create the database (nothing was ever acknowledged in it), not refuse the
 * directory, and the database must then work and survive a reopen.
 */
class FirstOpenCrashTest
{
    private static final Path DIR = Path.of("/db");

    private static DatabaseOptions options(final SimulatedFileSystem fs)
    {
        return DatabaseOptions.builder().fileIo(fs).cacheBytes(64 * 8192).walSegmentSize(1 << 20)
            .checkpointInterval(java.time.Duration.ZERO).build();
    }

    @ParameterizedTest
    @EnumSource(CrashMode.class)
    void shouldCreateTheDatabaseAfterACrashAtAnyPointOfItsCreation(final CrashMode mode)
    {
        final long creationOperations = operationsOfACreation();
        for (long crashAt = 1; crashAt <= creationOperations; crashAt++)
        {
            final SimulatedFileSystem fs = new SimulatedFileSystem(crashAt);
            fs.faults().crashAtOperation(crashAt);
            try (Database db = Database.open(DIR, options(fs)))
            {
                // the crash point is past the end of the creation on this run
                continue;
            }
            catch (final RuntimeException crashed)
            {
                // the crash
            }
            final SimulatedFileSystem rebooted = fs.crash(mode, crashAt);
            try (Database db = Database.open(DIR, options(rebooted)))
            {
                final Keyspace keyspace = db.keyspace("k");
                try (Transaction txn = db.begin())
                {
                    txn.put(keyspace, Kv.b("a"), Kv.b("after crash at " + crashAt));
                    txn.commit();
                }
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("reopen after a crash at I/O operation " + crashAt + " of the creation ("
                    + mode + ") failed", ex);
            }
            try (Database db = Database.open(DIR, options(rebooted.crash(CrashMode.DROP_ALL, crashAt))))
            {
                final Keyspace keyspace = db.findKeyspace("k").orElseThrow();
                try (Transaction txn = db.begin())
                {
                    assertThat(Kv.text(txn.get(keyspace, Kv.b("a"))))
                        .isEqualTo("after crash at " + crashAt);
                    txn.commit();
                }
                assertThat(db.verify().problems()).isEmpty();
            }
        }
    }

    private static long operationsOfACreation()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(1);
        final long count;
        try (Database db = Database.open(DIR, options(fs)))
        {
            count = fs.faults().operationCount();
        }
        return count;
    }
}
