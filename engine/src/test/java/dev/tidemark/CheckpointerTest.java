package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.snapshot.Checkpointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpointer thread: checkpoints by time and by log volume, not at all when both are off, stops at close. */
class CheckpointerTest
{
    @TempDir
    Path dir;

    private static boolean checkpointerRunning()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.isAlive() && t.getName().equals(Checkpointer.THREAD_NAME));
    }

    /** Waits (up to 20 s, polling) until a checkpoint after {@code lsn} happened. */
    private static boolean awaitCheckpointAfter(final Database db, final long lsn) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline)
        {
            if (db.lastCheckpoint().lsn() > lsn)
            {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static void write(final Database db, final int count, final int valueBytes)
    {
        final Keyspace keyspace = db.keyspace("k");
        for (int i = 0; i < count; i++)
        {
            try (Transaction txn = db.begin())
            {
                txn.put(keyspace, ("key-" + i).getBytes(StandardCharsets.UTF_8), new byte[valueBytes]);
                txn.commit();
            }
        }
    }

    @Test
    void shouldCheckpointAChangedDatabaseAfterTheInterval() throws Exception
    {
        try (Database db = Database.open(dir, DatabaseOptions.builder().checkpointInterval(Duration.ofMillis(50))
            .checkpointLogBytes(0).build()))
        {
            assertThat(checkpointerRunning()).isTrue();
            write(db, 1, 10);
            final long lsn = db.wal().lastAppendedLsn();
            assertThat(awaitCheckpointAfter(db, lsn)).as("a checkpoint after the write").isTrue();
            final long checkpointLsn = db.lastCheckpoint().lsn();
            Thread.sleep(300);
            assertThat(db.lastCheckpoint().lsn()).as("no checkpoint of an unchanged database")
                .isEqualTo(checkpointLsn);
        }
        assertThat(checkpointerRunning()).as("stopped by close").isFalse();
    }

    @Test
    void shouldCheckpointAfterTheLogVolume() throws Exception
    {
        try (Database db = Database.open(dir, DatabaseOptions.builder().checkpointInterval(Duration.ZERO)
            .checkpointLogBytes(256 << 10).build()))
        {
            final long start = db.lastCheckpoint().lsn();
            write(db, 10, 1000);
            Thread.sleep(300);
            assertThat(db.lastCheckpoint().lsn()).as("10 KB of log is below the volume").isEqualTo(start);
            write(db, 100, 4000);
            assertThat(awaitCheckpointAfter(db, start)).as("a checkpoint after 400 KB of log").isTrue();
        }
    }

    @Test
    void shouldStartNoThreadWhenBothTriggersAreOff()
    {
        try (Database db = Database.open(dir, DatabaseOptions.builder().checkpointInterval(Duration.ZERO)
            .checkpointLogBytes(0).build()))
        {
            write(db, 1, 10);
            assertThat(checkpointerRunning()).isFalse();
        }
    }
}
