package dev.tidemark.lock;

import static dev.tidemark.lock.Conditions.awaitWaiters;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Blocking waits on real threads: wake-up on release, timeout, interruption, cancellation, deadlock victims. */
class LockWaitingTest
{
    private static final byte[] A = "a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "b".getBytes(StandardCharsets.UTF_8);
    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private LockManager manager;

    @AfterEach
    void stop() throws InterruptedException
    {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        if (manager != null)
        {
            manager.close();
        }
    }

    @Test
    void shouldWakeTheWaiterWhenTheHolderReleases() throws Exception
    {
        manager = open(DeadlockDetection.MANUAL);
        final LockOwner holder = manager.newOwner(1);
        final LockOwner waiter = manager.newOwner(2);
        manager.acquire(holder, new LockTarget().row(1, A), LockMode.X, 0);

        final Future<LockResult> result = executor.submit(
            () -> manager.acquire(waiter, new LockTarget().row(1, A), LockMode.X, LONG_WAIT));
        awaitWaiters(manager, 1);
        manager.releaseAll(holder);

        assertThat(result.get()).isEqualTo(LockResult.GRANTED);
        assertThat(waiter.lockCount()).isEqualTo(1);
    }

    @Test
    void shouldReturnTimeoutAndLeaveTheQueue()
    {
        manager = open(DeadlockDetection.MANUAL);
        final LockOwner holder = manager.newOwner(1);
        final LockOwner waiter = manager.newOwner(2);
        final LockTarget target = new LockTarget().row(1, A);
        manager.acquire(holder, target, LockMode.S, 0);

        assertThat(manager.acquire(waiter, target, LockMode.X, TimeUnit.MILLISECONDS.toNanos(20)))
            .isEqualTo(LockResult.TIMEOUT);

        assertThat(manager.waits()).isEmpty();
        assertThat(waiter.lockCount()).isZero();
        assertThat(manager.acquire(waiter, target, LockMode.S, 0)).isEqualTo(LockResult.GRANTED);
    }

    @Test
    void shouldReturnInterruptedAndKeepTheInterruptStatus() throws Exception
    {
        manager = open(DeadlockDetection.MANUAL);
        final LockOwner holder = manager.newOwner(1);
        final LockOwner waiter = manager.newOwner(2);
        manager.acquire(holder, new LockTarget().row(1, A), LockMode.X, 0);
        final Thread[] waitingThread = new Thread[1];

        final Future<Boolean> interruptedAfterwards = executor.submit(() ->
        {
            waitingThread[0] = Thread.currentThread();
            final LockResult result = manager.acquire(waiter, new LockTarget().row(1, A), LockMode.X, LONG_WAIT);
            return result == LockResult.INTERRUPTED && Thread.interrupted();
        });
        awaitWaiters(manager, 1);
        waitingThread[0].interrupt();

        assertThat(interruptedAfterwards.get()).isTrue();
        assertThat(manager.waits()).isEmpty();
    }

    @Test
    void shouldCancelAWaitFromAnotherThread() throws Exception
    {
        manager = open(DeadlockDetection.MANUAL);
        final LockOwner holder = manager.newOwner(1);
        final LockOwner waiter = manager.newOwner(2);
        manager.acquire(holder, new LockTarget().row(1, A), LockMode.X, 0);

        final Future<LockResult> result = executor.submit(
            () -> manager.acquire(waiter, new LockTarget().row(1, A), LockMode.X, LockManager.NO_TIMEOUT));
        awaitWaiters(manager, 1);

        assertThat(manager.cancel(waiter)).isTrue();
        assertThat(result.get()).isEqualTo(LockResult.CANCELLED);
    }

    @Test
    void shouldResolveADeadlockOnTheDetectorThreadWithTheYoungestAsVictim() throws Exception
    {
        manager = open(DeadlockDetection.PERIODIC);
        assertDeadlockResolved();
    }

    @Test
    void shouldResolveADeadlockWhenTheWaitBegins() throws Exception
    {
        manager = open(DeadlockDetection.ON_WAIT);
        assertDeadlockResolved();
    }

    @Test
    void shouldCancelBlockedWaitsOnClose() throws Exception
    {
        manager = open(DeadlockDetection.PERIODIC);
        final LockOwner holder = manager.newOwner(1);
        final LockOwner waiter = manager.newOwner(2);
        manager.acquire(holder, new LockTarget().row(1, A), LockMode.X, 0);
        final Future<LockResult> result = executor.submit(
            () -> manager.acquire(waiter, new LockTarget().row(1, A), LockMode.S, LockManager.NO_TIMEOUT));
        awaitWaiters(manager, 1);

        manager.close();

        assertThat(result.get()).isEqualTo(LockResult.CANCELLED);
    }

    private void assertDeadlockResolved() throws Exception
    {
        final LockOwner older = manager.newOwner(1);
        final LockOwner younger = manager.newOwner(2);
        manager.acquire(older, new LockTarget().row(1, A), LockMode.X, 0);
        manager.acquire(younger, new LockTarget().row(1, B), LockMode.X, 0);

        final Future<LockResult> olderResult = executor.submit(
            () -> manager.acquire(older, new LockTarget().row(1, B), LockMode.X, LONG_WAIT));
        awaitWaiters(manager, 1);
        final Future<LockResult> youngerResult = executor.submit(() ->
        {
            final LockResult result = manager.acquire(younger, new LockTarget().row(1, A), LockMode.X, LONG_WAIT);
            manager.releaseAll(younger);
            return result;
        });

        assertThat(youngerResult.get()).isEqualTo(LockResult.DEADLOCK);
        assertThat(olderResult.get()).isEqualTo(LockResult.GRANTED);
        manager.releaseAll(older);
        assertThat(manager.resourceCount()).isZero();
    }

    private static LockManager open(final DeadlockDetection detection)
    {
        return LockManager.open(LockManagerOptions.builder()
            .deadlockDetection(detection)
            .deadlockInterval(5, TimeUnit.MILLISECONDS)
            .build());
    }
}
