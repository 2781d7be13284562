package dev.tidemark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionOptions;
import dev.tidemark.testkit.fs.CrashMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The kit example of the README, as written there, with its byte helpers. */
class ReadmeKitExampleTest
{
    static void transfers(Database db, Recorder recorder) {
        Keyspace bank = db.keyspace("bank");
        try (Transaction open = recorder.begin()) {
            for (int a = 0; a < 10; a++) open.put(bank, key(a), amount(100, a));
            open.commit();
        }
        for (int t = 0; t < 20; t++) {
            try (Transaction txn = recorder.begin(TransactionOptions.builder()
                    .isolation(IsolationLevel.SERIALIZABLE).build())) {
                int from = t % 10, to = (t + 3) % 10;
                long a = balance(txn.getForUpdate(bank, key(from))), b = balance(txn.getForUpdate(bank, key(to)));
                txn.put(bank, key(from), amount(a - 5, 1000L * t));
                txn.put(bank, key(to), amount(b + 5, 1000L * t + 1));
                txn.commit();
            }
        }
    }

    static void totalIsKept(Database db) {               // O5: throw (or fail an assertion) when it does not hold
        db.findKeyspace("bank").ifPresent(bank -> assertThat(total(db, bank)).isIn(0L, 1_000L));
    }

    @Property(tries = 50)
    void keepsEveryAcknowledgedTransfer(@ForAll long seed, @ForAll CrashMode mode) {
        CrashTest.builder(ReadmeKitExampleTest::transfers).seed(seed).mode(mode)
            .crashAtRandomOperation()                    // or crashAtOperation(k), crashAt(CrashPoint, n)
            .invariant(ReadmeKitExampleTest::totalIsKept)
            .build().run().assertHeld();                 // AssertionError with the seed and every violation
    }

    @Test
    void survivesACrashAtEveryOperation() {
        long n = CrashTest.builder(ReadmeKitExampleTest::transfers).build().countOperations();
        for (long k = 1; k <= n; k++) {
            CrashTest.builder(ReadmeKitExampleTest::transfers).seed(k).crashAtOperation(k)
                .crashRecoveryAtOperation(1 + k % 40)    // crash the recovery too; the next open must finish it
                .invariant(ReadmeKitExampleTest::totalIsKept).build().run().assertHeld();
        }
    }

    // the test's own byte helpers

    static byte[] key(int account) {
        return ("account-" + account).getBytes(StandardCharsets.UTF_8);
    }

    /** A balance, then which write it was: every put a distinct value. */
    static byte[] amount(long balance, long write) {
        return ByteBuffer.allocate(16).putLong(balance).putLong(write).array();
    }

    static long balance(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    static long total(Database db, Keyspace bank) {
        long total = 0;
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(bank, null, null)) {
            while (cursor.next()) total += balance(cursor.value());
        }
        return total;
    }
}
