package dev.tidemark;

import static dev.tidemark.Kv.b;
import static dev.tidemark.Kv.get;
import static dev.tidemark.Kv.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.mvcc.CommitTable;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only transaction that SSI does not track begins without taking an id: what still has to hold for it
 * (a unique id when asked, the keyspace drop waiting for it, rolled-back writers staying invisible to it, its
 * commit counted).
 */
class ReadOnlyTransactionTest
{
    private static final TransactionOptions READ_ONLY = TransactionOptions.builder().readOnly(true).build();

    @TempDir
    Path dir;

    private Database db;
    private Keyspace ks;

    @BeforeEach
    void openDatabase()
    {
        db = Database.open(dir.resolve("db"), DatabaseOptions.builder().durability(Durability.NONE)
            .lockTimeout(Duration.ofMillis(300)).build());
        ks = db.keyspace("t");
        Kv.seed(db, ks, "k", "v");
    }

    @AfterEach
    void closeDatabase()
    {
        db.close();
    }

    @Test
    void shouldGiveAReadOnlyTransactionAUniqueIdOnlyWhenAskedForOne()
    {
        final long firstFree = db.txns().nextId();
        try (Transaction reader = db.begin(READ_ONLY); Transaction other = db.begin(READ_ONLY))
        {
            assertThat(get(reader, ks, "k")).isEqualTo("v");
            assertThat(reader.toString()).contains("read-only");
            assertThat(db.txns().nextId()).as("ids given out by two read-only begins, a read and a toString")
                .isEqualTo(firstFree);

            final long id = reader.id();

            assertThat(id).isGreaterThanOrEqualTo(firstFree);
            assertThat(reader.id()).isEqualTo(id);
            assertThat(other.id()).isNotEqualTo(id);
            try (Transaction writer = db.begin())
            {
                assertThat(writer.id()).isNotIn(id, other.id());
            }
            reader.commit();
            assertThat(reader.id()).isEqualTo(id);
            assertThatThrownBy(() -> reader.get(ks, b("k"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction " + id + " is no longer active");
        }
    }

    @Test
    void shouldTakeAnIdAtBeginForASerializableReadOnlyTransaction()
    {
        final long firstFree = db.txns().nextId();
        try (Transaction reader = db.begin(TransactionOptions.builder().readOnly(true)
            .isolation(IsolationLevel.SERIALIZABLE).build()))
        {
            assertThat(db.txns().nextId()).isEqualTo(firstFree + 1);
            assertThat(reader.id()).isEqualTo(firstFree);
            reader.commit();
        }
    }

    @Test
    void shouldKeepARolledBackWriterUncommittedUntilTheReadOnlyTransactionsRunningAtItsEndHaveEnded()
    {
        final Transaction reader = db.begin(READ_ONLY);
        final long writerId;
        try (Transaction writer = db.begin())
        {
            put(writer, ks, "k", "rolled back");
            writerId = writer.id();
            writer.rollback();
        }
        db.txns().refresh();
        assertThat(db.txns().commitTimestamp(writerId)).as("while a reader that saw it running runs")
            .isEqualTo(CommitTable.NOT_COMMITTED);
        assertThat(get(reader, ks, "k")).isEqualTo("v");

        try (Transaction later = db.begin(READ_ONLY))
        {
            reader.commit();
            db.txns().refresh();
            assertThat(db.txns().commitTimestamp(writerId)).as("once only readers begun after its end run")
                .isNotEqualTo(CommitTable.NOT_COMMITTED);
            assertThat(get(later, ks, "k")).isEqualTo("v");
        }
    }

    @Test
    void shouldMakeAKeyspaceDropWaitForAReadOnlyTransactionThatBeganBeforeIt()
    {
        try (Transaction reader = db.begin(READ_ONLY))
        {
            assertThat(get(reader, ks, "k")).isEqualTo("v");

            assertThatThrownBy(() -> db.dropKeyspace("t")).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("still running");

            assertThat(get(reader, ks, "k")).isEqualTo("v");
            reader.commit();
        }
        db.dropKeyspace("t");
        assertThat(db.keyspaceNames()).isEmpty();
    }

    @Test
    void shouldCountReadOnlyCommitsAndRollbacksWithTheOthers()
    {
        final long before = db.stats().committed();
        final long rolledBackBefore = db.stats().rolledBack();
        for (int i = 0; i < 3; i++)
        {
            try (Transaction reader = db.begin(READ_ONLY))
            {
                get(reader, ks, "k");
                reader.commit();
            }
        }
        try (Transaction reader = db.begin(READ_ONLY))
        {
            reader.rollback();
        }
        try (Transaction writer = db.begin())
        {
            put(writer, ks, "k2", "v2");
            writer.commit();
        }

        assertThat(db.stats().committed()).isEqualTo(before + 4);
        assertThat(db.stats().rolledBack()).isEqualTo(rolledBackBefore + 1);
        assertThat(db.stats().activeTransactions()).isZero();
    }
}
