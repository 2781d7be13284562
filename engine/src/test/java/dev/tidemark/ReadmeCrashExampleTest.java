package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import dev.tidemark.testkit.history.KvHistory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash test of the README, verbatim: keep the two the same. */
class ReadmeCrashExampleTest
{
    @Test
    void keepsEveryAcknowledgedCommit() {
        for (CrashMode mode : CrashMode.values()) {
            SimulatedFileSystem fs = new SimulatedFileSystem(42);
            DatabaseOptions options = DatabaseOptions.builder().fileIo(fs).build();
            Database db = Database.open(Path.of("/db"), options);
            Keyspace accounts = db.keyspace("accounts");
            KvHistory history = new KvHistory();
            CrashPoints.arm(CrashPoint.WAL_FORCED_NOT_ACKNOWLEDGED, 25, fs::halt);   // needs -Dtidemark.crashPoints=true
            try {
                for (int i = 0; i < 100; i++) {
                    byte[] key = ("k" + i % 30).getBytes(), value = ("v" + i).getBytes();
                    KvHistory.Txn record = history.begin();
                    try (Transaction txn = db.begin()) {
                        txn.put(accounts, key, value);
                        record.put(key, value);
                        record.committing();
                        txn.commit();
                        record.acknowledged();
                    }
                }
            } catch (RuntimeException crashed) {
                // the machine halted at the crash point: commit, put or begin fail from here on
            } finally {
                CrashPoints.disarm();
            }
            try { db.close(); } catch (RuntimeException expected) { }                // its disk is gone
            try (Database recovered = Database.open(Path.of("/db"), DatabaseOptions.builder()
                    .fileIo(fs.crash(mode, 7)).build());
                 Transaction txn = recovered.begin();
                 Cursor cursor = txn.scan(recovered.keyspace("accounts"), null, null)) {
                Map<byte[], byte[]> state = new HashMap<>();
                while (cursor.next()) {
                    state.put(cursor.key(), cursor.value());
                }
                assertThat(history.check(state)).as("%s, %s", mode, fs.describe()).isEmpty();  // O1-O4
                assertThat(recovered.verify().problems()).isEmpty();                         // O6
            }
        }
    }
}
