package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shortest end-to-end path: create, write, read, conflict, reopen. */
class DatabaseSmokeTest
{
    @TempDir
    Path dir;

    private static byte[] b(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldCommitReadConflictAndReopen()
    {
        try (Database db = Database.open(dir))
        {
            final Keyspace ks = db.keyspace("accounts");
            try (Transaction txn = db.begin())
            {
                txn.put(ks, b("alice"), b("100"));
                txn.put(ks, b("bob"), b("50"));
                assertThat(txn.get(ks, b("alice"))).isEqualTo(b("100"));
                txn.commit();
            }
            final Transaction reader = db.begin();
            try (Transaction writer = db.begin())
            {
                writer.put(ks, b("alice"), b("90"));
                assertThat(reader.get(ks, b("alice"))).isEqualTo(b("100"));
                writer.commit();
            }
            assertThat(reader.get(ks, b("alice"))).isEqualTo(b("100"));
            assertThatThrownBy(() -> reader.put(ks, b("alice"), b("80")))
                .isInstanceOf(SerializationFailureException.class);
            assertThat(reader.isActive()).isFalse();
            assertThatThrownBy(() -> reader.get(ks, b("alice"))).isInstanceOf(IllegalStateException.class);
            try (Transaction txn = db.begin(); Cursor cursor = txn.scan(ks, null, null))
            {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.key()).isEqualTo(b("alice"));
                assertThat(cursor.value()).isEqualTo(b("90"));
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.key()).isEqualTo(b("bob"));
                assertThat(cursor.next()).isFalse();
            }
            assertThatThrownBy(() -> Database.open(dir)).isInstanceOf(DatabaseLockedException.class);
        }
        try (Database db = Database.open(dir))
        {
            final Keyspace ks = db.findKeyspace("accounts").orElseThrow();
            try (Transaction txn = db.begin())
            {
                assertThat(txn.get(ks, b("alice"))).isEqualTo(b("90"));
                assertThat(txn.get(ks, b("bob"))).isEqualTo(b("50"));
                final Savepoint sp = txn.savepoint();
                txn.put(ks, b("carol"), b("1"));
                txn.rollbackTo(sp);
                assertThat(txn.get(ks, b("carol"))).isNull();
                assertThat(txn.delete(ks, b("bob"))).isTrue();
                txn.commit();
            }
            assertThat(db.verify().problems()).isEmpty();
            db.dropKeyspace("accounts");
            assertThat(db.keyspaceNames()).isEmpty();
        }
    }
}
