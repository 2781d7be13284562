package dev.tidemark;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs transaction steps on other threads, and tells a blocked step by the engine's lock-wait view
 * ({@link Database#lockWaits()}), never by sleeping.
 */
final class ConcurrentSteps implements AutoCloseable
{
    /** How long a test waits for something that should happen quickly before it fails. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Database db;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable ->
    {
        final Thread thread = new Thread(runnable, "test-step");
        thread.setDaemon(true);
        return thread;
    });

    ConcurrentSteps(final Database db)
    {
        this.db = db;
    }

    /** Runs {@code step} on another thread; returns at once. */
    Step start(final Runnable step)
    {
        return new Step(executor.submit(step));
    }

    /**
     * Runs {@code step} of {@code waiter} on another thread and returns once the engine reports that {@code waiter}
     * waits for a lock {@code holder} holds.
     */
    Step startBlocked(final Transaction waiter, final Transaction holder, final Runnable step)
    {
        final Step started = start(step);
        awaitLockWait(waiter, holder, started);
        return started;
    }

    /** Waits until {@code waiter} waits for a lock of {@code holder}; fails when {@code step} ends meanwhile. */
    void awaitLockWait(final Transaction waiter, final Transaction holder, final Step step)
    {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!isWaiting(waiter.id(), holder.id()))
        {
            if (step.isDone())
            {
                fail("transaction %d was expected to wait for a lock of transaction %d, but its step ended: %s",
                    waiter.id(), holder.id(), step.outcome());
            }
            if (System.nanoTime() > deadline)
            {
                fail("transaction %d did not wait for transaction %d within %s; lock waits: %s", waiter.id(),
                    holder.id(), PATIENCE, db.lockWaits());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** @return whether the engine reports that {@code waiterId} waits for {@code holderId} */
    boolean isWaiting(final long waiterId, final long holderId)
    {
        return db.lockWaits().stream().anyMatch(wait -> wait.waiterTransactionId() == waiterId
            && wait.holderTransactionIds().contains(holderId));
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }

    /** A step running on another thread. */
    static final class Step
    {
        private final Future<?> future;

        private Step(final Future<?> future)
        {
            this.future = future;
        }

        boolean isDone()
        {
            return future.isDone();
        }

        /** Waits (boundedly) for the step to end. @return what it threw, or null when it completed */
        Throwable outcome()
        {
            try
            {
                future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            }
            catch (final ExecutionException ex)
            {
                return ex.getCause();
            }
            catch (final TimeoutException ex)
            {
                throw new AssertionError("the step did not end within " + PATIENCE, ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a step", ex);
            }
        }
    }
}
