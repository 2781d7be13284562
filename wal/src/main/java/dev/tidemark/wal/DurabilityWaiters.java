package dev.tidemark.wal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Parks threads until a watched LSN reaches a target. The publisher calls {@link #wakeAll()} after moving the
 * LSN; it takes the lock only when someone waits. A waiter registers before re-reading the LSN, so a wake-up
 * is never lost (both sides write one volatile, then read the other's).
 */
final class DurabilityWaiters
{
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @return true when {@code watched} reached {@code target}; false when {@code stop} became true or the
     * timeout passed first
     */
    boolean await(final LongSupplier watched, final long target, final BooleanSupplier stop,
        final long timeoutNanos) throws InterruptedException
    {
        if (watched.getAsLong() >= target)
        {
            return true;
        }
        long remaining = timeoutNanos;
        lock.lock();
        waiting.incrementAndGet();
        try
        {
            while (watched.getAsLong() < target)
            {
                if (stop.getAsBoolean() || remaining <= 0)
                {
                    return false;
                }
                // wake at least every 100 ms to re-check the stop condition
                final long step = Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100));
                final long left = moved.awaitNanos(step);
                remaining -= step - Math.max(0, left);
            }
            return true;
        }
        finally
        {
            waiting.decrementAndGet();
            lock.unlock();
        }
    }

    void wakeAll()
    {
        if (waiting.get() > 0)
        {
            lock.lock();
            try
            {
                moved.signalAll();
            }
            finally
            {
                lock.unlock();
            }
        }
    }
}
