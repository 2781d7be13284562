package dev.tidemark;

import static dev.tidemark.IsolationLevel.READ_COMMITTED;
import static dev.tidemark.IsolationLevel.SERIALIZABLE;
import static dev.tidemark.IsolationLevel.SNAPSHOT;
import static dev.tidemark.Kv.b;
import static dev.tidemark.Kv.committed;
import static dev.tidemark.Kv.committedEntries;
import static dev.tidemark.Kv.get;
import static dev.tidemark.Kv.keys;
import static dev.tidemark.Kv.put;
import static dev.tidemark.Kv.scan;
import static dev.tidemark.Kv.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scripted schedules of two and three transactions, one per anomaly class of BRIEF.md §3 (Adya's G0, G1a, G1b,
 * G1c, OTV, PMP, P4, G-single, G2-item, G2), run at every isolation level: each level must prevent what it
 * promises to, and the weaker levels really do show the anomalies they allow.
 */
class IsolationAnomalyTest
{
    @TempDir
    Path dir;

    private Database db;
    private Keyspace ks;
    private ConcurrentSteps steps;
    private final Map<Long, TransactionAbortedException> aborts = new HashMap<>();

    @BeforeEach
    void openDatabase()
    {
        db = Database.open(dir, DatabaseOptions.builder().durability(Durability.NONE).build());
        ks = db.keyspace("t");
        steps = new ConcurrentSteps(db);
    }

    @AfterEach
    void closeDatabase()
    {
        steps.close();
        db.close();
    }

    // ------------------------------------------------------------------------------------- G0 dirty write

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldMakeSecondWriterWaitUntilTheFirstEndsSoThatWritesNeverInterleave(final IsolationLevel level)
    {
        seed("x", "0", "y", "0");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);

        put(t1, ks, "x", "1");
        final ConcurrentSteps.Step t2WritesX = steps.startBlocked(t2, t1, () -> put(t2, ks, "x", "2"));
        put(t1, ks, "y", "1");
        assertThat(t2WritesX.isDone()).as("t2's write of x waits while t1 is running").isFalse();
        t1.commit();

        if (level == READ_COMMITTED)
        {
            assertThat(t2WritesX.outcome()).isNull();
            put(t2, ks, "y", "2");
            t2.commit();
            assertThat(committedEntries(db, ks)).containsExactly(entry("x", "2"), entry("y", "2"));
        }
        else
        {
            assertThat(t2WritesX.outcome()).isInstanceOf(SerializationFailureException.class);
            assertThat(committedEntries(db, ks)).containsExactly(entry("x", "1"), entry("y", "1"));
        }
    }

    // ------------------------------------------------------------------- G1a aborted read, G1b intermediate read

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldNeverShowWritesOfATransactionThatRollsBack(final IsolationLevel level)
    {
        seed("x", "0");
        final Transaction writer = db.begin(level);
        final Transaction reader = db.begin(level);

        put(writer, ks, "x", "aborted");
        put(writer, ks, "z", "aborted");
        assertThat(get(reader, ks, "x")).isEqualTo("0");
        assertThat(scan(reader, ks, null, null)).containsExactly(entry("x", "0"));
        writer.rollback();

        assertThat(get(reader, ks, "x")).isEqualTo("0");
        assertThat(get(reader, ks, "z")).isNull();
        assertThat(scan(reader, ks, null, null)).containsExactly(entry("x", "0"));
        reader.commit();
        assertThat(committedEntries(db, ks)).containsExactly(entry("x", "0"));
    }

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldNeverShowAnIntermediateVersionOfAnotherTransaction(final IsolationLevel level)
    {
        seed("x", "0");
        final Transaction writer = db.begin(level);
        final Transaction reader = db.begin(level);

        put(writer, ks, "x", "intermediate");
        assertThat(get(reader, ks, "x")).isEqualTo("0");
        assertThat(scan(reader, ks, null, null)).containsExactly(entry("x", "0"));
        put(writer, ks, "x", "final");
        writer.commit();

        final String expected = level == READ_COMMITTED ? "final" : "0";
        assertThat(get(reader, ks, "x")).isEqualTo(expected);
        assertThat(scan(reader, ks, null, null)).containsExactly(entry("x", expected));
        reader.commit();
    }

    // ------------------------------------------------------------------------ G1c circular information flow

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldPreventCircularInformationFlow(final IsolationLevel level)
    {
        seed("x", "0", "y", "0");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);

        step(t1, t -> put(t, ks, "x", "1"));
        step(t2, t -> put(t, ks, "y", "2"));
        step(t1, t -> assertThat(get(t, ks, "y")).isEqualTo("0"));
        step(t2, t -> assertThat(get(t, ks, "x")).isEqualTo("0"));
        step(t1, Transaction::commit);
        step(t2, Transaction::commit);

        if (level == SERIALIZABLE)
        {
            // each read missed the other's write: a write skew too, so one of them must go
            assertOnlySerializationFailures();
        }
        else
        {
            assertThat(aborts).isEmpty();
            assertThat(committedEntries(db, ks)).containsExactly(entry("x", "1"), entry("y", "2"));
        }
    }

    // ---------------------------------------------------------------------- OTV observed transaction vanishes

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldNeverLetAnObservedTransactionVanish(final IsolationLevel level)
    {
        seed("x", "0", "y", "0");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);
        put(t1, ks, "x", "1");
        put(t1, ks, "y", "1");
        final ConcurrentSteps.Step t2WritesX = steps.startBlocked(t2, t1, () -> put(t2, ks, "x", "2"));
        t1.commit();
        final Throwable t2Outcome = t2WritesX.outcome();

        final Transaction t3 = db.begin(level);
        assertThat(get(t3, ks, "x")).isEqualTo("1");
        if (level == READ_COMMITTED)
        {
            assertThat(t2Outcome).isNull();
            put(t2, ks, "y", "2");
            assertThat(get(t3, ks, "y")).isEqualTo("1");
            t2.commit();
            assertThat(get(t3, ks, "y")).isEqualTo("2");
            assertThat(get(t3, ks, "x")).as("once t2 is seen, its write of x cannot vanish").isEqualTo("2");
        }
        else
        {
            assertThat(t2Outcome).isInstanceOf(SerializationFailureException.class);
            assertThat(get(t3, ks, "y")).isEqualTo("1");
            assertThat(get(t3, ks, "x")).isEqualTo("1");
        }
        t3.commit();
    }

    // ---------------------------------------------------------------------- PMP predicate-many-preceders

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"SNAPSHOT", "SERIALIZABLE"})
    void shouldKeepARepeatedRangeScanStableUnderSnapshotAndSerializable(final IsolationLevel level)
    {
        seed("emp/1", "a", "other", "o");
        final Transaction scanner = db.begin(level);
        assertThat(keys(scanner, ks, "emp/", "emp0")).containsExactly("emp/1");

        insertAndDeleteConcurrently(level);

        assertThat(keys(scanner, ks, "emp/", "emp0")).containsExactly("emp/1");
        scanner.commit();
    }

    @Test
    void shouldShowPredicateManyPrecedersUnderReadCommitted()
    {
        seed("emp/1", "a", "other", "o");
        final Transaction scanner = db.begin(READ_COMMITTED);
        assertThat(keys(scanner, ks, "emp/", "emp0")).containsExactly("emp/1");

        insertAndDeleteConcurrently(READ_COMMITTED);

        assertThat(keys(scanner, ks, "emp/", "emp0")).containsExactly("emp/2");
        scanner.commit();
    }

    private void insertAndDeleteConcurrently(final IsolationLevel level)
    {
        try (Transaction other = db.begin(level))
        {
            put(other, ks, "emp/2", "b");
            other.delete(ks, b("emp/1"));
            other.commit();
        }
    }

    // ------------------------------------------------------------------------------------- P4 lost update

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"SNAPSHOT", "SERIALIZABLE"})
    void shouldPreventLostUpdateUnderSnapshotAndSerializable(final IsolationLevel level)
    {
        seed("counter", "0");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);

        final int seenByT1 = readCounter(t1);
        final int seenByT2 = readCounter(t2);
        put(t1, ks, "counter", String.valueOf(seenByT1 + 1));
        final ConcurrentSteps.Step t2Increments =
            steps.startBlocked(t2, t1, () -> put(t2, ks, "counter", String.valueOf(seenByT2 + 1)));
        t1.commit();

        assertThat(t2Increments.outcome()).isInstanceOf(SerializationFailureException.class);
        assertThat(t2.isActive()).isFalse();
        assertThat(committed(db, ks, "counter")).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"SNAPSHOT", "SERIALIZABLE"})
    void shouldFailTheSecondUpdaterAtOnceWhenTheFirstAlreadyCommitted(final IsolationLevel level)
    {
        seed("counter", "0");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);

        final int seenByT2 = readCounter(t2);
        put(t1, ks, "counter", String.valueOf(readCounter(t1) + 1));
        t1.commit();

        step(t2, t -> put(t, ks, "counter", String.valueOf(seenByT2 + 1)));
        assertThat(aborts.get(t2.id())).isInstanceOf(SerializationFailureException.class);
        assertThat(committed(db, ks, "counter")).isEqualTo("1");
    }

    @Test
    void shouldLoseAnUpdateUnderReadCommitted()
    {
        seed("counter", "0");
        final Transaction t1 = db.begin(READ_COMMITTED);
        final Transaction t2 = db.begin(READ_COMMITTED);

        final int seenByT1 = readCounter(t1);
        final int seenByT2 = readCounter(t2);
        put(t1, ks, "counter", String.valueOf(seenByT1 + 1));
        final ConcurrentSteps.Step t2Increments =
            steps.startBlocked(t2, t1, () -> put(t2, ks, "counter", String.valueOf(seenByT2 + 1)));
        t1.commit();
        assertThat(t2Increments.outcome()).isNull();
        t2.commit();

        assertThat(committed(db, ks, "counter")).as("two committed increments, one lost").isEqualTo("1");
    }

    @Test
    void shouldNotLoseAnUpdateUnderReadCommittedWhenReadingForUpdate()
    {
        seed("counter", "0");
        final Transaction t1 = db.begin(READ_COMMITTED);
        final Transaction t2 = db.begin(READ_COMMITTED);

        final int seenByT1 = Integer.parseInt(text(t1.getForUpdate(ks, b("counter"))));
        final int[] seenByT2 = new int[1];
        final ConcurrentSteps.Step t2ReadsForUpdate = steps.startBlocked(t2, t1,
            () -> seenByT2[0] = Integer.parseInt(text(t2.getForUpdate(ks, b("counter")))));
        put(t1, ks, "counter", String.valueOf(seenByT1 + 1));
        t1.commit();
        assertThat(t2ReadsForUpdate.outcome()).isNull();
        assertThat(seenByT2[0]).isEqualTo(1);
        put(t2, ks, "counter", String.valueOf(seenByT2[0] + 1));
        t2.commit();

        assertThat(committed(db, ks, "counter")).isEqualTo("2");
    }

    // ---------------------------------------------------------------------------------- G-single read skew

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"SNAPSHOT", "SERIALIZABLE"})
    void shouldPreventReadSkewUnderSnapshotAndSerializable(final IsolationLevel level)
    {
        seed("x", "50", "y", "50");
        final Transaction reader = db.begin(level);
        assertThat(get(reader, ks, "x")).isEqualTo("50");

        transfer25FromXToY(level);

        assertThat(get(reader, ks, "y")).isEqualTo("50");
        assertThat(scan(reader, ks, null, null)).containsExactly(entry("x", "50"), entry("y", "50"));
        reader.commit();
    }

    @Test
    void shouldShowReadSkewUnderReadCommitted()
    {
        seed("x", "50", "y", "50");
        final Transaction reader = db.begin(READ_COMMITTED);
        assertThat(get(reader, ks, "x")).isEqualTo("50");

        transfer25FromXToY(READ_COMMITTED);

        assertThat(get(reader, ks, "y")).as("x read before the transfer, y after: the total looks like 125")
            .isEqualTo("75");
        reader.commit();
    }

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"SNAPSHOT", "SERIALIZABLE"})
    void shouldFailAWriteBasedOnASkewedReadUnderSnapshotAndSerializable(final IsolationLevel level)
    {
        seed("x", "50", "y", "50");
        final Transaction t1 = db.begin(level);
        assertThat(get(t1, ks, "x")).isEqualTo("50");

        transfer25FromXToY(level);

        step(t1, t -> put(t, ks, "y", "0"));
        assertThat(aborts.get(t1.id())).isInstanceOf(SerializationFailureException.class);
        assertThat(committedEntries(db, ks)).containsExactly(entry("x", "25"), entry("y", "75"));
    }

    private void transfer25FromXToY(final IsolationLevel level)
    {
        try (Transaction transfer = db.begin(level))
        {
            put(transfer, ks, "x", "25");
            put(transfer, ks, "y", "75");
            transfer.commit();
        }
    }

    // ----------------------------------------------------------------------------------- G2-item write skew

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"READ_COMMITTED", "SNAPSHOT"})
    void shouldAllowWriteSkewUnderReadCommittedAndSnapshot(final IsolationLevel level)
    {
        seed("doctor/alice", "on", "doctor/bob", "on");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);

        runWriteSkewSchedule(t1, t2);

        assertThat(aborts).isEmpty();
        assertThat(onCallCommitted()).as("both went off call: the invariant 'one on call' is broken").isZero();
    }

    @Test
    void shouldPreventWriteSkewUnderSerializable()
    {
        seed("doctor/alice", "on", "doctor/bob", "on");
        final Transaction t1 = db.begin(SERIALIZABLE);
        final Transaction t2 = db.begin(SERIALIZABLE);

        runWriteSkewSchedule(t1, t2);

        assertOnlySerializationFailures();
        assertThat(onCallCommitted()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldNotAbortASerialRunOfTheWriteSkewScriptUnderSerializable()
    {
        seed("doctor/alice", "on", "doctor/bob", "on");
        try (Transaction t1 = db.begin(SERIALIZABLE))
        {
            goOffCallIfSomeoneElseIsOn(t1, "alice");
            t1.commit();
        }
        try (Transaction t2 = db.begin(SERIALIZABLE))
        {
            goOffCallIfSomeoneElseIsOn(t2, "bob");
            t2.commit();
        }
        assertThat(db.stats().serializationFailures()).isZero();
        assertThat(onCallCommitted()).isEqualTo(1);
    }

    /** Each doctor reads both rows and goes off call when the other is on. */
    private void runWriteSkewSchedule(final Transaction t1, final Transaction t2)
    {
        step(t1, t -> assertThat(onCall(t)).isEqualTo(2));
        step(t2, t -> assertThat(onCall(t)).isEqualTo(2));
        step(t1, t -> put(t, ks, "doctor/alice", "off"));
        step(t2, t -> put(t, ks, "doctor/bob", "off"));
        step(t1, Transaction::commit);
        step(t2, Transaction::commit);
    }

    private void goOffCallIfSomeoneElseIsOn(final Transaction txn, final String doctor)
    {
        if (onCall(txn) >= 2)
        {
            put(txn, ks, "doctor/" + doctor, "off");
        }
    }

    private int onCall(final Transaction txn)
    {
        return ("on".equals(get(txn, ks, "doctor/alice")) ? 1 : 0)
            + ("on".equals(get(txn, ks, "doctor/bob")) ? 1 : 0);
    }

    private int onCallCommitted()
    {
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            return onCall(txn);
        }
    }

    // ---------------------------------------------------------------------- G2 predicate write skew (phantoms)

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"READ_COMMITTED", "SNAPSHOT"})
    void shouldAllowPhantomWriteSkewUnderReadCommittedAndSnapshot(final IsolationLevel level)
    {
        seed("room/1/09:00", "taken", "room/2/10:00", "taken");
        final Transaction t1 = db.begin(level);
        final Transaction t2 = db.begin(level);

        runPhantomSchedule(t1, t2);

        assertThat(aborts).isEmpty();
        assertThat(committedBookings()).as("both booked the free slot: double booking")
            .containsExactly("room/2/10:00", "room/2/14:00#t1", "room/2/14:00#t2");
    }

    @Test
    void shouldPreventPhantomWriteSkewUnderSerializable()
    {
        seed("room/1/09:00", "taken", "room/2/10:00", "taken");
        final Transaction t1 = db.begin(SERIALIZABLE);
        final Transaction t2 = db.begin(SERIALIZABLE);

        runPhantomSchedule(t1, t2);

        assertOnlySerializationFailures();
        assertThat(committedBookings()).hasSizeBetween(1, 2).contains("room/2/10:00");
    }

    @Test
    void shouldNotAbortASerialRunOfThePhantomScriptUnderSerializable()
    {
        seed("room/2/10:00", "taken");
        for (final String name : new String[] {"t1", "t2"})
        {
            try (Transaction txn = db.begin(SERIALIZABLE))
            {
                bookIfFewerThanTwo(txn, name);
                txn.commit();
            }
        }
        assertThat(db.stats().serializationFailures()).isZero();
        assertThat(committedBookings()).containsExactly("room/2/10:00", "room/2/14:00#t1");
    }

    /** Each transaction counts room 2's bookings with a range scan and books 14:00 when fewer than two. */
    private void runPhantomSchedule(final Transaction t1, final Transaction t2)
    {
        step(t1, t -> assertThat(keys(t, ks, "room/2/", "room/20")).hasSize(1));
        step(t2, t -> assertThat(keys(t, ks, "room/2/", "room/20")).hasSize(1));
        step(t1, t -> put(t, ks, "room/2/14:00#t1", "taken"));
        step(t2, t -> put(t, ks, "room/2/14:00#t2", "taken"));
        step(t1, Transaction::commit);
        step(t2, Transaction::commit);
    }

    private void bookIfFewerThanTwo(final Transaction txn, final String name)
    {
        if (keys(txn, ks, "room/2/", "room/20").size() < 2)
        {
            put(txn, ks, "room/2/14:00#" + name, "taken");
        }
    }

    private List<String> committedBookings()
    {
        try (Transaction txn = db.begin(SNAPSHOT))
        {
            return keys(txn, ks, "room/2/", "room/20");
        }
    }

    // ------------------------------------------------------ G2-item with a read-only transaction (three txns)

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"READ_COMMITTED", "SNAPSHOT"})
    void shouldAllowTheReadOnlyTransactionAnomalyUnderReadCommittedAndSnapshot(final IsolationLevel level)
    {
        seed("checking", "0", "savings", "0");
        final Map<String, String> report = runReadOnlyAnomalySchedule(level);

        assertThat(aborts).isEmpty();
        assertThat(report).containsExactly(entry("checking", "0"), entry("savings", "20"));
        assertThat(committedEntries(db, ks)).as("the withdrawal paid a penalty the report says it need not have")
            .containsExactly(entry("checking", "-11"), entry("savings", "20"));
    }

    @Test
    void shouldPreventTheReadOnlyTransactionAnomalyUnderSerializable()
    {
        seed("checking", "0", "savings", "0");
        runReadOnlyAnomalySchedule(SERIALIZABLE);

        assertOnlySerializationFailures();
        assertThat(committed(db, ks, "checking")).isEqualTo("0");
        assertThat(committed(db, ks, "savings")).isEqualTo("20");
    }

    /**
     * Fekete, O'Neil and O'Neil (2004): a withdrawal reads both balances; a deposit to savings commits; a report
     * reads both and commits; the withdrawal then charges an overdraft penalty because it saw a total of 0.
     *
     * @return what the report saw
     */
    private Map<String, String> runReadOnlyAnomalySchedule(final IsolationLevel level)
    {
        final Transaction withdrawal = db.begin(level);
        final int total = Integer.parseInt(get(withdrawal, ks, "checking"))
            + Integer.parseInt(get(withdrawal, ks, "savings"));
        final Transaction deposit = db.begin(level);
        step(deposit, t -> put(t, ks, "savings", String.valueOf(Integer.parseInt(get(t, ks, "savings")) + 20)));
        step(deposit, Transaction::commit);
        final Transaction report = db.begin(level);
        final Map<String, String> seen = new HashMap<>();
        step(report, t -> seen.putAll(scan(t, ks, null, null)));
        step(report, Transaction::commit);
        step(withdrawal, t -> put(t, ks, "checking", String.valueOf(total < 10 ? -11 : -10)));
        step(withdrawal, Transaction::commit);
        return new TreeMap<>(seen);
    }

    // --------------------------------------------------------- a writer that waited: fail or go on

    static Stream<Arguments> snapshotLevelsAndWrites()
    {
        return Stream.of(SNAPSHOT, SERIALIZABLE)
            .flatMap(level -> Stream.of(Write.values()).map(write -> Arguments.of(level, write)));
    }

    @ParameterizedTest
    @MethodSource("snapshotLevelsAndWrites")
    void shouldFailAWaitingWriterWhenTheHolderCommitsANewerVersion(final IsolationLevel level, final Write write)
    {
        seed("x", "0");
        final Transaction holder = db.begin(level);
        final Transaction waiter = db.begin(level);
        put(holder, ks, "x", "holder");
        final ConcurrentSteps.Step waiting = steps.startBlocked(waiter, holder, () -> write.apply(waiter, ks));
        holder.commit();

        assertThat(waiting.outcome()).isInstanceOf(SerializationFailureException.class);
        assertThat(waiter.isActive()).isFalse();
        assertThat(committed(db, ks, "x")).isEqualTo("holder");
        assertThat(db.lockWaits()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void shouldLetAWaitingWriterGoOnUnderReadCommittedWhenTheHolderCommits(final Write write)
    {
        seed("x", "0");
        final Transaction holder = db.begin(READ_COMMITTED);
        final Transaction waiter = db.begin(READ_COMMITTED);
        put(holder, ks, "x", "holder");
        final ConcurrentSteps.Step waiting = steps.startBlocked(waiter, holder, () -> write.apply(waiter, ks));
        holder.commit();

        assertThat(waiting.outcome()).isNull();
        waiter.commit();
        assertThat(committed(db, ks, "x")).isEqualTo(write.expectedAfterHolderCommitted());
    }

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldLetAWaitingWriterGoOnWhenTheHolderRollsBack(final IsolationLevel level)
    {
        seed("x", "0");
        final Transaction holder = db.begin(level);
        final Transaction waiter = db.begin(level);
        put(holder, ks, "x", "holder");
        final ConcurrentSteps.Step waiting = steps.startBlocked(waiter, holder, () -> put(waiter, ks, "x", "waiter"));
        holder.rollback();

        assertThat(waiting.outcome()).isNull();
        waiter.commit();
        assertThat(committed(db, ks, "x")).isEqualTo("waiter");
    }

    /** The writes that take a row lock. */
    enum Write
    {
        PUT
        {
            @Override
            void apply(final Transaction txn, final Keyspace ks)
            {
                put(txn, ks, "x", "waiter");
            }

            @Override
            String expectedAfterHolderCommitted()
            {
                return "waiter";
            }
        },
        DELETE
        {
            @Override
            void apply(final Transaction txn, final Keyspace ks)
            {
                txn.delete(ks, b("x"));
            }

            @Override
            String expectedAfterHolderCommitted()
            {
                return null;
            }
        },
        GET_FOR_UPDATE
        {
            @Override
            void apply(final Transaction txn, final Keyspace ks)
            {
                txn.getForUpdate(ks, b("x"));
            }

            @Override
            String expectedAfterHolderCommitted()
            {
                return "holder";
            }
        };

        abstract void apply(Transaction txn, Keyspace ks);

        abstract String expectedAfterHolderCommitted();
    }

    // ------------------------------------------------------------------------------------------- helpers

    private void seed(final String... keysAndValues)
    {
        Kv.seed(db, ks, keysAndValues);
    }

    private int readCounter(final Transaction txn)
    {
        return Integer.parseInt(get(txn, ks, "counter"));
    }

    /** Runs one step of {@code txn} unless the engine aborted it earlier; remembers an abort. */
    private void step(final Transaction txn, final Consumer<Transaction> action)
    {
        if (aborts.containsKey(txn.id()))
        {
            return;
        }
        try
        {
            action.accept(txn);
        }
        catch (final TransactionAbortedException ex)
        {
            aborts.put(txn.id(), ex);
            assertThat(txn.isActive()).as("an aborted transaction is dead").isFalse();
        }
    }

    private void assertOnlySerializationFailures()
    {
        assertThat(aborts.values()).as("the engine must abort at least one transaction of the cycle").isNotEmpty()
            .allSatisfy(ex -> assertThat(ex).isInstanceOf(SerializationFailureException.class)
                .satisfies(failure -> assertThat(failure.isRetryable()).isTrue()));
    }
}
