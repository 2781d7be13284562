package dev.tidemark;

import static dev.tidemark.IsolationLevel.SNAPSHOT;
import static dev.tidemark.Kv.b;
import static dev.tidemark.Kv.committed;
import static dev.tidemark.Kv.committedEntries;
import static dev.tidemark.Kv.get;
import static dev.tidemark.Kv.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong use of the API fails with the documented exception and changes nothing; the lifecycle calls (close,
 * reopen, drop) do what they promise.
 */
class ApiMisuseTest
{
    private static final int MAX_VALUE_LENGTH = 1000;

    @TempDir
    Path dir;

    private Database db;
    private Keyspace ks;

    @BeforeEach
    void openDatabase()
    {
        db = open(dir.resolve("db"));
        ks = db.keyspace("t");
        Kv.seed(db, ks, "k", "v");
    }

    @AfterEach
    void closeDatabase()
    {
        db.close();
    }

    private static Database open(final Path directory)
    {
        return Database.open(directory, DatabaseOptions.builder().durability(Durability.NONE)
            .maxValueLength(MAX_VALUE_LENGTH).build());
    }

    // ------------------------------------------------------------------------------------- bad arguments

    @Test
    void shouldRejectNullArgumentsWithNullPointerExceptionAndChangeNothing()
    {
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            put(txn, ks, "mine", "1");

            assertRejected(txn, NullPointerException.class, () -> txn.get(null, b("k")));
            assertRejected(txn, NullPointerException.class, () -> txn.get(ks, null));
            assertRejected(txn, NullPointerException.class, () -> txn.getForUpdate(ks, null));
            assertRejected(txn, NullPointerException.class, () -> txn.put(null, b("k"), b("x")));
            assertRejected(txn, NullPointerException.class, () -> txn.put(ks, null, b("x")));
            assertRejected(txn, NullPointerException.class, () -> txn.put(ks, b("k"), null));
            assertRejected(txn, NullPointerException.class, () -> txn.delete(ks, null));
            assertRejected(txn, NullPointerException.class, () -> txn.delete(null, b("k")));
            assertRejected(txn, NullPointerException.class, () -> txn.scan(null, null, null));
            assertRejected(txn, NullPointerException.class, () -> txn.rollbackTo(null));

            assertThat(get(txn, ks, "k")).isEqualTo("v");
            assertThat(get(txn, ks, "mine")).isEqualTo("1");
            txn.commit();
        }
        assertThat(committedEntries(db, ks)).containsExactly(entry("k", "v"), entry("mine", "1"));
        assertThatThrownBy(() -> db.keyspace(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> db.begin((IsolationLevel)null)).isInstanceOf(NullPointerException.class);
        assertThat(db.keyspaceNames()).containsExactly("t");
    }

    @Test
    void shouldRejectEmptyAndOverlongKeysWithIllegalArgumentExceptionAndChangeNothing()
    {
        final byte[] longestKey = filled(2048, 'a');
        final byte[] overlongKey = filled(2049, 'b');
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            assertRejected(txn, IllegalArgumentException.class, () -> txn.put(ks, new byte[0], b("x")));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.put(ks, overlongKey, b("x")));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.get(ks, new byte[0]));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.get(ks, overlongKey));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.delete(ks, overlongKey));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.getForUpdate(ks, new byte[0]));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.scan(ks, new byte[0], null));
            assertRejected(txn, IllegalArgumentException.class, () -> txn.scan(ks, null, overlongKey));

            txn.put(ks, longestKey, b("longest"));
            txn.commit();
        }
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            assertThat(txn.get(ks, longestKey)).isEqualTo(b("longest"));
        }
        assertThat(committedEntries(db, ks)).hasSize(2).containsEntry("k", "v");
    }

    @Test
    void shouldRejectAValueOverTheConfiguredLimitAndChangeNothing()
    {
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            assertRejected(txn, IllegalArgumentException.class,
                () -> txn.put(ks, b("k"), filled(MAX_VALUE_LENGTH + 1, 'x')));
            assertRejected(txn, IllegalArgumentException.class,
                () -> txn.put(ks, b("big"), filled(MAX_VALUE_LENGTH + 1, 'x')));
            txn.put(ks, b("largest"), filled(MAX_VALUE_LENGTH, 'y'));
            txn.commit();
        }
        assertThat(committed(db, ks, "k")).isEqualTo("v");
        assertThat(committed(db, ks, "big")).isNull();
        assertThat(committed(db, ks, "largest")).hasSize(MAX_VALUE_LENGTH);
    }

    /** The call fails with {@code expected}, and the transaction stays active: bad input changes nothing. */
    private static void assertRejected(final Transaction txn, final Class<? extends Throwable> expected,
        final ThrowingCallable call)
    {
        assertThatThrownBy(call).isInstanceOf(expected);
        assertThat(txn.isActive()).as("the transaction survives a rejected argument").isTrue();
    }

    // ------------------------------------------------------------------------- wrong state, wrong owner

    @Test
    void shouldRefuseEveryOperationOnAFinishedTransaction()
    {
        final Transaction committedTxn = db.begin(SNAPSHOT);
        final Cursor cursor = committedTxn.scan(ks, null, null);
        committedTxn.commit();
        assertRefusesEverything(committedTxn);
        assertThatThrownBy(cursor::next).isInstanceOf(IllegalStateException.class);

        final Transaction rolledBack = db.begin(SNAPSHOT);
        put(rolledBack, ks, "k", "changed");
        rolledBack.rollback();
        assertRefusesEverything(rolledBack);
        assertThat(committed(db, ks, "k")).isEqualTo("v");
    }

    @Test
    void shouldRefuseEveryOperationOnAClosedDatabase()
    {
        final Transaction open = db.begin(SNAPSHOT);
        db.close();

        assertThatThrownBy(() -> db.begin()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.begin(SNAPSHOT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.keyspace("t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.keyspace("new")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.findKeyspace("t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.dropKeyspace("t")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.inTransaction(SNAPSHOT, txn -> null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.checkpoint()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.stats()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> db.lockWaits()).isInstanceOf(IllegalStateException.class);
        assertRefusesEverything(open);
        assertThatCode(db::close).as("a second close does nothing").doesNotThrowAnyException();
    }

    private void assertRefusesEverything(final Transaction txn)
    {
        assertThat(txn.isActive()).isFalse();
        assertThatThrownBy(() -> txn.get(ks, b("k"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.getForUpdate(ks, b("k"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.put(ks, b("k"), b("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.delete(ks, b("k"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.scan(ks, null, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.scanDescending(ks, null, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::savepoint).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::commit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::rollback).isInstanceOf(IllegalStateException.class);
        assertThatCode(txn::close).doesNotThrowAnyException();
    }

    @Test
    void shouldRejectAKeyspaceOfAnotherDatabase()
    {
        try (Database other = open(dir.resolve("other")))
        {
            final Keyspace foreign = other.keyspace("t");
            try (Transaction txn = db.begin(SNAPSHOT))
            {
                assertRejected(txn, IllegalArgumentException.class, () -> txn.put(foreign, b("k"), b("x")));
                assertRejected(txn, IllegalArgumentException.class, () -> txn.get(foreign, b("k")));
                assertRejected(txn, IllegalArgumentException.class, () -> txn.scan(foreign, null, null));
                txn.commit();
            }
            assertThat(committedEntries(other, foreign)).isEmpty();
        }
        assertThat(committedEntries(db, ks)).containsExactly(entry("k", "v"));
    }

    @Test
    void shouldRefuseToOpenADirectoryThatIsAlreadyOpen()
    {
        assertThatThrownBy(() -> open(dir.resolve("db")))
            .isInstanceOfSatisfying(DatabaseLockedException.class,
                ex -> assertThat(ex.directory()).isEqualTo(dir.resolve("db").toAbsolutePath().normalize()));
        assertThat(committed(db, ks, "k")).as("the open instance is unaffected").isEqualTo("v");
    }

    @Test
    void shouldRefuseWritesInAReadOnlyTransaction()
    {
        try (Transaction txn = db.begin(TransactionOptions.builder().readOnly(true).build()))
        {
            assertRejected(txn, IllegalStateException.class, () -> txn.put(ks, b("k"), b("x")));
            assertRejected(txn, IllegalStateException.class, () -> txn.put(ks, b("new"), b("x")));
            assertRejected(txn, IllegalStateException.class, () -> txn.delete(ks, b("k")));
            assertRejected(txn, IllegalStateException.class, () -> txn.getForUpdate(ks, b("k")));
            assertThat(get(txn, ks, "k")).isEqualTo("v");
            txn.commit();
        }
        assertThat(committedEntries(db, ks)).containsExactly(entry("k", "v"));
    }

    @Test
    void shouldRejectASavepointOfAnotherTransaction()
    {
        try (Transaction first = db.begin(SNAPSHOT); Transaction second = db.begin(SNAPSHOT))
        {
            put(first, ks, "first", "1");
            final Savepoint ofFirst = first.savepoint();
            put(second, ks, "second", "2");

            assertRejected(second, IllegalArgumentException.class, () -> second.rollbackTo(ofFirst));

            assertThat(get(second, ks, "second")).isEqualTo("2");
            second.commit();
            first.commit();
        }
        assertThat(committedEntries(db, ks)).containsExactly(entry("first", "1"), entry("k", "v"),
            entry("second", "2"));
    }

    // --------------------------------------------------------------------------------------- inTransaction

    @Test
    void shouldRetryARetryableFailureInInTransaction()
    {
        final AtomicInteger attempts = new AtomicInteger();

        final String result = db.inTransaction(SNAPSHOT, txn ->
        {
            final int attempt = attempts.incrementAndGet();
            final String seen = get(txn, ks, "k");
            if (attempt == 1)
            {
                commitConcurrently("k", "concurrent");
            }
            put(txn, ks, "k", seen + "+attempt" + attempt);
            return seen;
        });

        assertThat(attempts).hasValue(2);
        assertThat(result).isEqualTo("concurrent");
        assertThat(committed(db, ks, "k")).isEqualTo("concurrent+attempt2");
        assertThat(db.stats().serializationFailures()).isEqualTo(1);
    }

    @Test
    void shouldRethrowANonRetryableAbortFromInTransactionAtOnce()
    {
        final AtomicInteger attempts = new AtomicInteger();
        final Transaction holder = db.begin(SNAPSHOT);
        put(holder, ks, "k", "holder");
        try
        {
            assertThatThrownBy(() -> db.inTransaction(SNAPSHOT, txn ->
            {
                attempts.incrementAndGet();
                put(txn, ks, "mine", "1");
                Thread.currentThread().interrupt();
                put(txn, ks, "k", "interrupted");
                return null;
            })).isInstanceOfSatisfying(TransactionAbortedException.class,
                ex -> assertThat(ex.isRetryable()).isFalse());
        }
        finally
        {
            Thread.interrupted();
        }
        holder.commit();

        assertThat(attempts).hasValue(1);
        assertThat(committed(db, ks, "mine")).isNull();
        assertThat(committed(db, ks, "k")).isEqualTo("holder");
    }

    @Test
    void shouldRollBackAndPropagateAnApplicationExceptionFromInTransactionAtOnce()
    {
        final AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> db.inTransaction(SNAPSHOT, txn ->
        {
            attempts.incrementAndGet();
            put(txn, ks, "mine", "1");
            throw new IllegalStateException("the application gave up");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the application gave up");

        assertThat(attempts).hasValue(1);
        assertThat(committed(db, ks, "mine")).isNull();
        assertThat(db.stats().activeTransactions()).isZero();
    }

    private void commitConcurrently(final String key, final String value)
    {
        try (Transaction other = db.begin(SNAPSHOT))
        {
            put(other, ks, key, value);
            other.commit();
        }
    }

    // ---------------------------------------------------------------------------- close, reopen, drop

    @Test
    void shouldRollBackAnOpenTransactionOnClose()
    {
        final Transaction open = db.begin(SNAPSHOT);
        put(open, ks, "uncommitted", "1");
        put(open, ks, "k", "overwritten");

        db.close();
        assertThat(open.isActive()).isFalse();

        db = open(dir.resolve("db"));
        ks = db.findKeyspace("t").orElseThrow();
        assertThat(committedEntries(db, ks)).containsExactly(entry("k", "v"));
        assertThat(db.verify().problems()).isEmpty();
    }

    @Test
    void shouldKeepCommittedDataAndKeyspacesAcrossCloseAndReopen()
    {
        final Keyspace second = db.keyspace("second");
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            put(txn, ks, "a", "1");
            put(txn, second, "b", "2");
            txn.delete(ks, b("k"));
            txn.commit();
        }

        db.close();
        db = open(dir.resolve("db"));

        assertThat(db.keyspaceNames()).containsExactly("second", "t");
        ks = db.findKeyspace("t").orElseThrow();
        assertThat(committedEntries(db, ks)).containsExactly(entry("a", "1"));
        assertThat(committedEntries(db, db.findKeyspace("second").orElseThrow())).containsExactly(entry("b", "2"));
    }

    @Test
    void shouldFreeThePagesOfADroppedKeyspaceAndForgetItAfterReopen()
    {
        final Keyspace big = db.keyspace("big");
        fill(big, 2000, 300);
        db.checkpoint();
        final long freeBefore = db.stats().freePages();
        final long pages = db.stats().pages();

        db.dropKeyspace("big");

        assertThat(db.stats().freePages()).as("free pages after the drop (data file of %d pages)", pages)
            .isGreaterThanOrEqualTo(freeBefore + 50);
        assertThat(db.findKeyspace("big")).isEmpty();
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            assertThatThrownBy(() -> txn.get(big, b("key0001"))).isInstanceOf(IllegalStateException.class);
        }

        db.close();
        db = open(dir.resolve("db"));
        assertThat(db.keyspaceNames()).containsExactly("t");
        assertThat(db.findKeyspace("big")).isEmpty();
        ks = db.findKeyspace("t").orElseThrow();
        assertThat(committedEntries(db, ks)).containsExactly(entry("k", "v"));
        assertThat(db.verify().problems()).isEmpty();
    }

    @Test
    void shouldRejectDroppingAKeyspaceThatDoesNotExist()
    {
        assertThatThrownBy(() -> db.dropKeyspace("missing")).isInstanceOf(IllegalArgumentException.class);
        assertThat(db.keyspaceNames()).containsExactly("t");
    }

    @Test
    void shouldTakeALockTimeoutTooLongForNanosecondsAsNoTimeout()
    {
        final Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        try (Transaction txn = db.begin(TransactionOptions.builder().lockTimeout(forever).build()))
        {
            put(txn, ks, "k", "w");
            txn.commit();
        }
        assertThat(committedEntries(db, ks)).containsExactly(entry("k", "w"));
    }

    private void fill(final Keyspace target, final int count, final int valueLength)
    {
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            for (int i = 0; i < count; i++)
            {
                txn.put(target, b(String.format("key%04d", i)), filled(valueLength, 'v'));
            }
            txn.commit();
        }
    }

    private static byte[] filled(final int length, final char c)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)c);
        return bytes;
    }
}
