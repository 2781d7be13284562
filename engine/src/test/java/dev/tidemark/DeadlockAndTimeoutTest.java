package dev.tidemark;

import static dev.tidemark.IsolationLevel.READ_COMMITTED;
import static dev.tidemark.IsolationLevel.SNAPSHOT;
import static dev.tidemark.Kv.b;
import static dev.tidemark.Kv.committed;
import static dev.tidemark.Kv.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lock waits that end without a grant: deadlock victims, lock timeouts, and what is left of a transaction after
 * any abort (nothing: it is dead, its writes are gone and its locks are free at once).
 */
class DeadlockAndTimeoutTest
{
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private Database db;
    private Keyspace ks;
    private ConcurrentSteps steps;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable ->
    {
        final Thread thread = new Thread(runnable, "test-worker");
        thread.setDaemon(true);
        return thread;
    });

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
        workers.shutdownNow();
        steps.close();
        db.close();
    }

    // ------------------------------------------------------------------------------------------ deadlocks

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void shouldAbortExactlyOneOfTwoThreadsThatLockTwoKeysInOppositeOrders(final IsolationLevel level)
        throws Exception
    {
        Kv.seed(db, ks, "a", "0", "b", "0");

        final List<Outcome> outcomes = runLockRing(level, "a", "b");

        final Outcome victim = onlyVictim(outcomes);
        final Outcome winner = outcomes.get(1 - outcomes.indexOf(victim));
        assertThat(winner.failure).isNull();
        assertThat(committed(db, ks, "a")).isEqualTo(winner.name);
        assertThat(committed(db, ks, "b")).isEqualTo(winner.name);
        assertThat(committed(db, ks, winner.name + "-own")).isEqualTo(winner.name);
        assertDeadAndClean(victim.txn, victim.name + "-own");
        assertThat(db.stats().deadlocks()).isEqualTo(1);
    }

    @Test
    void shouldAbortExactlyOneTransactionOfAThreeWayDeadlock() throws Exception
    {
        Kv.seed(db, ks, "a", "0", "b", "0", "c", "0");

        final List<Outcome> outcomes = runLockRing(READ_COMMITTED, "a", "b", "c");

        final Outcome victim = onlyVictim(outcomes);
        for (final Outcome other : outcomes)
        {
            if (other != victim)
            {
                assertThat(other.failure).as(other.name).isNull();
                assertThat(committed(db, ks, other.name + "-own")).isEqualTo(other.name);
            }
        }
        assertDeadAndClean(victim.txn, victim.name + "-own");
        assertThat(db.stats().deadlocks()).isEqualTo(1);
    }

    /**
     * Worker {@code i}, on its own thread, writes a private key and {@code keys[i]}; once every worker holds its
     * first key, it writes {@code keys[i + 1]} (wrapping) and commits.
     */
    private List<Outcome> runLockRing(final IsolationLevel level, final String... keys) throws Exception
    {
        final CyclicBarrier allHoldTheirFirstKey = new CyclicBarrier(keys.length);
        final List<Future<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < keys.length; i++)
        {
            final String name = "t" + (i + 1);
            final String first = keys[i];
            final String second = keys[(i + 1) % keys.length];
            futures.add(workers.submit(lockInOrder(level, name, first, second, allHoldTheirFirstKey)));
        }
        final List<Outcome> outcomes = new ArrayList<>();
        for (final Future<Outcome> future : futures)
        {
            outcomes.add(future.get(ConcurrentSteps.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        }
        return outcomes;
    }

    private Callable<Outcome> lockInOrder(final IsolationLevel level, final String name, final String first,
        final String second, final CyclicBarrier allHoldTheirFirstKey)
    {
        return () ->
        {
            final Transaction txn = db.begin(level);
            put(txn, ks, name + "-own", name);
            put(txn, ks, first, name);
            allHoldTheirFirstKey.await(ConcurrentSteps.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            try
            {
                put(txn, ks, second, name);
                txn.commit();
                return new Outcome(name, txn, null);
            }
            catch (final TransactionAbortedException ex)
            {
                return new Outcome(name, txn, ex);
            }
        };
    }

    private static Outcome onlyVictim(final List<Outcome> outcomes)
    {
        final List<Outcome> victims = outcomes.stream().filter(outcome -> outcome.failure != null).toList();
        assertThat(victims).as("transactions aborted").hasSize(1);
        final Outcome victim = victims.get(0);
        assertThat(victim.failure).isInstanceOf(DeadlockException.class);
        assertThat(victim.failure.isRetryable()).isTrue();
        assertThat(victim.failure.transactionId()).isEqualTo(victim.txn.id());
        assertThat(victim.txn.id()).as("the victim is the youngest transaction of the cycle")
            .isEqualTo(outcomes.stream().mapToLong(outcome -> outcome.txn.id()).max().orElseThrow());
        return victim;
    }

    // ------------------------------------------------------------------------------------- lock timeouts

    @Test
    void shouldTimeOutAWaitingWriterAndLeaveTheHolderUnaffected()
    {
        Kv.seed(db, ks, "x", "0");
        final Transaction holder = db.begin(SNAPSHOT);
        put(holder, ks, "x", "holder");
        final Transaction waiter = db.begin(TransactionOptions.builder().lockTimeout(SHORT_TIMEOUT).build());
        put(waiter, ks, "waiter-own", "waiter");

        final long start = System.nanoTime();
        assertThatThrownBy(() -> put(waiter, ks, "x", "waiter"))
            .isInstanceOfSatisfying(LockTimeoutException.class, ex ->
            {
                assertThat(ex.isRetryable()).isTrue();
                assertThat(ex.transactionId()).isEqualTo(waiter.id());
            });
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isGreaterThanOrEqualTo(SHORT_TIMEOUT.dividedBy(2)).isLessThan(ConcurrentSteps.PATIENCE);

        assertDeadAndClean(waiter, "waiter-own");
        assertThat(holder.isActive()).isTrue();
        put(holder, ks, "y", "holder");
        holder.commit();
        assertThat(committed(db, ks, "x")).isEqualTo("holder");
        assertThat(committed(db, ks, "y")).isEqualTo("holder");
        assertThat(db.stats().lockTimeouts()).isEqualTo(1);
    }

    @Test
    void shouldFailAtOnceWithoutWaitingWhenTheLockTimeoutIsZero()
    {
        Kv.seed(db, ks, "x", "0");
        final Transaction holder = db.begin(SNAPSHOT);
        put(holder, ks, "x", "holder");
        final Transaction waiter = db.begin(TransactionOptions.builder().lockTimeout(Duration.ZERO).build());

        assertThatThrownBy(() -> put(waiter, ks, "x", "waiter")).isInstanceOf(LockTimeoutException.class);

        assertThat(waiter.isActive()).isFalse();
        assertThat(holder.isActive()).isTrue();
        holder.commit();
        assertThat(committed(db, ks, "x")).isEqualTo("holder");
    }

    @Test
    void shouldShowAWaitingWriterInTheLockWaitViewUntilItIsGranted()
    {
        final Transaction holder = db.begin(SNAPSHOT);
        put(holder, ks, "x", "holder");
        final Transaction waiter = db.begin(READ_COMMITTED);
        final ConcurrentSteps.Step waiting = steps.startBlocked(waiter, holder, () -> put(waiter, ks, "x", "w"));

        assertThat(db.lockWaits()).singleElement().satisfies(wait ->
        {
            assertThat(wait.waiterTransactionId()).isEqualTo(waiter.id());
            assertThat(wait.holderTransactionIds()).containsExactly(holder.id());
            assertThat(wait.keyspace()).isEqualTo("t");
            assertThat(wait.key()).isEqualTo(b("x"));
            assertThat(wait.mode()).isEqualTo("X");
        });
        holder.commit();
        assertThat(waiting.outcome()).isNull();
        assertThat(db.lockWaits()).isEmpty();
        waiter.commit();
        assertThat(committed(db, ks, "x")).isEqualTo("w");
    }

    // ------------------------------------------------------------------------------- after an abort

    @Test
    void shouldUndoAndUnlockAtOnceAfterASerializationFailure()
    {
        Kv.seed(db, ks, "x", "0");
        final Transaction txn = db.begin(SNAPSHOT);
        put(txn, ks, "own", "txn");
        try (Transaction other = db.begin(SNAPSHOT))
        {
            put(other, ks, "x", "other");
            other.commit();
        }

        assertThatThrownBy(() -> put(txn, ks, "x", "txn")).isInstanceOf(SerializationFailureException.class);

        assertDeadAndClean(txn, "own");
        assertThat(committed(db, ks, "x")).isEqualTo("other");
    }

    /**
     * An aborted transaction refuses every further call, left nothing behind under {@code ownKey}, and holds no
     * lock: a transaction that will not wait at all can write {@code ownKey} at once.
     */
    private void assertDeadAndClean(final Transaction txn, final String ownKey)
    {
        assertThat(txn.isActive()).isFalse();
        assertThatThrownBy(() -> txn.get(ks, b(ownKey))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.getForUpdate(ks, b(ownKey))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.put(ks, b(ownKey), b("again"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.delete(ks, b(ownKey))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> txn.scan(ks, null, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::savepoint).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::commit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(txn::rollback).isInstanceOf(IllegalStateException.class);
        assertThatCode(txn::close).doesNotThrowAnyException();

        assertThat(committed(db, ks, ownKey)).as("write of the aborted transaction").isNull();
        assertThat(db.lockWaits()).isEmpty();
        try (Transaction next = db.begin(TransactionOptions.builder().lockTimeout(Duration.ZERO).build()))
        {
            assertThatCode(() -> put(next, ks, ownKey, "next")).as("the aborted transaction's lock is free")
                .doesNotThrowAnyException();
            next.commit();
        }
        assertThat(committed(db, ks, ownKey)).isEqualTo("next");
    }

    /** How one worker of a lock ring ended. */
    private static final class Outcome
    {
        final String name;
        final Transaction txn;
        final TransactionAbortedException failure;

        Outcome(final String name, final Transaction txn, final TransactionAbortedException failure)
        {
            this.name = name;
            this.txn = txn;
            this.failure = failure;
        }
    }
}
