package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.recovery.RecoveryReport;
import dev.tidemark.snapshot.MasterRecord;
import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzy checkpoints and the analysis that starts from them: restart reads the log from the last checkpoint (not
 * from the oldest record kept), finishes the writers of its active-transaction table wherever their records began,
 * and repeats only the changes its dirty-page table admits.
 */
class FuzzyCheckpointTest
{
    private static final Path DIR = Path.of("/db");

    private static DatabaseOptions options(final SimulatedFileSystem fs)
    {
        return DatabaseOptions.builder().fileIo(fs).cacheBytes(256 * 8192).walSegmentSize(4 << 20)
            .checkpointInterval(Duration.ZERO).checkpointLogBytes(0).build();
    }

    @AfterEach
    void disarm()
    {
        CrashPoints.disarm();
    }

    private static Map<String, String> load(final Database db, final Keyspace ks, final int keys)
    {
        final Map<String, String> committed = new TreeMap<>();
        for (int batch = 0; batch < keys / 100; batch++)
        {
            try (Transaction txn = db.begin())
            {
                for (int i = batch * 100; i < (batch + 1) * 100; i++)
                {
                    final String key = String.format("key-%05d", i);
                    Kv.put(txn, ks, key, "v0-" + i);
                    committed.put(key, "v0-" + i);
                }
                txn.commit();
            }
        }
        return committed;
    }

    private static void commitOne(final Database db, final Keyspace ks, final String key, final String value,
        final Map<String, String> committed)
    {
        try (Transaction txn = db.begin())
        {
            Kv.put(txn, ks, key, value);
            txn.commit();
        }
        committed.put(key, value);
    }

    private static Map<String, String> contents(final Database db)
    {
        final Keyspace ks = db.findKeyspace("k").orElseThrow();
        try (Transaction txn = db.begin())
        {
            return new TreeMap<>(Kv.scan(txn, ks, null, null));
        }
    }

    /** Crashes the machine under {@code db} (pending writes lost), then {@link #recover}s it. */
    private static RecoveryReport crashAndRecover(final SimulatedFileSystem fs, final Database db, final long seed,
        final Map<String, String> committed)
    {
        final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, seed);
        abandon(db);
        return recover(rebooted, committed);
    }

    /** Opens the crashed machine, checks that it holds exactly {@code committed} and passes verify. */
    private static RecoveryReport recover(final SimulatedFileSystem rebooted, final Map<String, String> committed)
    {
        try (Database recovered = Database.open(DIR, options(rebooted)))
        {
            assertThat(contents(recovered)).isEqualTo(committed);
            assertThat(recovered.verify().problems()).isEmpty();
            return recovered.recoveryReport().orElseThrow();
        }
    }

    private static void abandon(final Database db)
    {
        try
        {
            db.close();
        }
        catch (final RuntimeException expected)
        {
            // the file system halted: the closing checkpoint cannot be written
        }
    }

    @Test
    void shouldStartRecoveryAtTheLastCheckpointInsteadOfTheOldestRecordKept()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(3);
        final Database db = Database.open(DIR, options(fs));
        final Keyspace ks = db.keyspace("k");
        final Map<String, String> committed = load(db, ks, 3000);
        db.checkpoint();
        for (int i = 0; i < 5; i++)
        {
            commitOne(db, ks, String.format("key-%05d", i * 7), "after-" + i, committed);
        }
        final RecoveryReport report = crashAndRecover(fs, db, 1, committed);
        // the load's 3,000 entry records are in the log still (one segment), but before the checkpoint
        assertThat(report.checkpointLsn()).as("%s", report).isGreaterThan(3000);
        assertThat(report.fromLsn()).as("%s", report).isEqualTo(report.checkpointLsn());
        assertThat(report.recordsRead()).as("%s", report).isLessThan(30);
        assertThat(report.pagesRedone()).as("%s", report).isPositive();
    }

    @Test
    void shouldRollBackWritersWhoseRecordsBeganBeforeTheCheckpoint()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(5);
        final Database db = Database.open(DIR, options(fs));
        final Keyspace ks = db.keyspace("k");
        final Map<String, String> committed = load(db, ks, 1000);
        final Transaction spanning = db.begin();
        final Transaction before = db.begin();
        final Transaction commitsAfter = db.begin();
        for (int i = 0; i < 50; i++)
        {
            Kv.put(spanning, ks, String.format("key-%05d", i), "spanning");
            Kv.put(before, ks, String.format("key-%05d", 500 + i), "before");
            Kv.put(commitsAfter, ks, String.format("new-%05d", i), "committed after the checkpoint");
        }
        db.checkpoint();
        for (int i = 50; i < 100; i++)
        {
            Kv.put(spanning, ks, String.format("key-%05d", i), "spanning");
        }
        Kv.put(spanning, ks, "key-00999", "spanning");
        commitsAfter.commit();
        for (int i = 0; i < 50; i++)
        {
            committed.put(String.format("new-%05d", i), "committed after the checkpoint");
        }
        commitOne(db, ks, "key-00700", "after", committed);
        final RecoveryReport report = crashAndRecover(fs, db, 2, committed);
        assertThat(report.transactionsUndone()).as("%s", report).isEqualTo(2);
        // analysis reaches back to the first records of the writers running at the checkpoint
        assertThat(report.fromLsn()).as("%s", report).isLessThan(report.checkpointLsn());
    }

    @Test
    void shouldRecoverWritersThatBeganOrEndedWhileTheTablesWereTaken()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(7);
        final Database db = Database.open(DIR, options(fs));
        final Keyspace ks = db.keyspace("k");
        final Map<String, String> committed = load(db, ks, 1000);
        final Transaction endsInside = db.begin();
        for (int i = 0; i < 20; i++)
        {
            Kv.put(endsInside, ks, String.format("key-%05d", i), "ended between begin and end");
        }
        final Transaction[] beganInside = new Transaction[1];
        // between the checkpoint's begin record and its tables: one writer commits, another begins and writes
        CrashPoints.arm(CrashPoint.CHECKPOINT_TABLES_NOT_LOGGED, 1, () ->
        {
            endsInside.commit();
            beganInside[0] = db.begin();
            for (int i = 0; i < 20; i++)
            {
                Kv.put(beganInside[0], ks, String.format("key-%05d", 100 + i), "never committed");
            }
        });
        db.checkpoint();
        assertThat(CrashPoints.fired()).isTrue();
        for (int i = 0; i < 20; i++)
        {
            committed.put(String.format("key-%05d", i), "ended between begin and end");
        }
        commitOne(db, ks, "key-00900", "after", committed);
        final RecoveryReport report = crashAndRecover(fs, db, 3, committed);
        assertThat(report.transactionsUndone()).as("%s", report).isEqualTo(1);
    }

    @Test
    void shouldStillRecoverFromAVersionOneMasterRecordByReadingTheWholeLog() throws Exception
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(11);
        final Database db = Database.open(DIR, options(fs));
        final Keyspace ks = db.keyspace("k");
        final Map<String, String> committed = load(db, ks, 500);
        db.checkpoint();
        commitOne(db, ks, "key-00001", "after", committed);
        final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, 4);
        abandon(db);
        rewriteAsVersionOne(rebooted, DIR.resolve(MasterRecord.FILE_NAME));

        final RecoveryReport report = recover(rebooted, committed);
        assertThat(report.checkpointLsn()).as("%s", report).isZero();
        assertThat(report.recordsRead()).as("%s", report).isGreaterThan(500);
    }

    /** Writes the master record as version 1 wrote it: the same fields, no end LSN, the checksum at 40. */
    private static void rewriteAsVersionOne(final FileIo io, final Path file) throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(52).order(ByteOrder.LITTLE_ENDIAN);
        try (FileHandle handle = io.open(file, FileIo.OpenMode.READ))
        {
            handle.readFully(bytes, 0);
        }
        bytes.putShort(4, (short)1);
        final CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().limit(40).position(0));
        bytes.putInt(40, (int)crc.getValue());
        io.delete(file);
        try (FileHandle handle = io.open(file, FileIo.OpenMode.CREATE_NEW))
        {
            handle.write(bytes.limit(44).position(0), 0);
            handle.force();
        }
        io.forceDirectory(file.getParent());
    }
}
