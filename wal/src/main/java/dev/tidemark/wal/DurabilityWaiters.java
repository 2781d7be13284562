package dev.tidemark.wal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Parks threads until a watched LSN reaches their target, without a shared lock and without allocating per wait.
 *
 * <p>A waiter publishes its per-thread node in a free slot, re-reads the LSN, and parks. The publisher moves the
 * LSN, then {@link #wake(long)} unparks at most {@value #FAN_OUT} waiters whose target is reached; each woken
 * waiter wakes up to {@value #FAN_OUT} more before returning, looking from the slot after its own, so a batch of
 * many waiters is woken as a tree instead of one after another by the publisher (which goes back to writing at
 * once), and no wake looks again at every waiter woken before it. Both sides write one volatile and then read
 * the other's, so no wake-up is lost. When every slot is taken a waiter polls instead.
 */
final class DurabilityWaiters
{
    static final int FAN_OUT = 2;
    private static final int SLOTS = 1024;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicReferenceArray<Waiter> slots = new AtomicReferenceArray<>(SLOTS);
    private final ThreadLocal<Waiter> local = ThreadLocal.withInitial(Waiter::new);
    private volatile int highWater;

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
        final Waiter waiter = local.get();
        waiter.target = target;
        waiter.woken = 0;
        final int slot = claim(waiter);
        final long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        try
        {
            while (watched.getAsLong() < target)
            {
                if (stop.getAsBoolean())
                {
                    return false;
                }
                final long remaining = deadline == Long.MAX_VALUE ? MAX_PARK_NANOS : deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(remaining, slot < 0 ? POLL_NANOS : MAX_PARK_NANOS));
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted while waiting for LSN " + target);
                }
            }
            return true;
        }
        finally
        {
            leave(slot);
            // start where the scan that found this waiter left off
            wake(watched.getAsLong(), slot + 1);
        }
    }

    /** Unparks up to {@value #FAN_OUT} parked waiters whose target is at most {@code value}. */
    void wake(final long value)
    {
        wake(value, 0);
    }

    /**
     * Unparks up to {@value #FAN_OUT} parked waiters whose target is at most {@code value}, looking at every slot
     * once, from {@code from} up and then from 0. A woken waiter starts after its own slot: the waiters below it
     * were looked at by the scan that found it, so a tree of wakes looks at each slot a few times instead of each
     * wake going over every waiter woken before it. A waiter already woken is passed over on a read, without a
     * CAS that would take its line away from its thread.
     */
    void wake(final long value, final int from)
    {
        final int limit = highWater;
        if (limit == 0)
        {
            return;
        }
        int woke = 0;
        int i = from < limit ? from : 0;
        for (int seen = 0; seen < limit && woke < FAN_OUT; seen++)
        {
            final Waiter waiter = slots.get(i);
            if (waiter != null && waiter.woken == 0 && waiter.target <= value
                && Waiter.WOKEN.compareAndSet(waiter, 0, 1))
            {
                LockSupport.unpark(waiter.thread);
                woke++;
            }
            if (++i == limit)
            {
                i = 0;
            }
        }
    }

    /** Unparks every waiter, reached or not, so that each re-checks its stop condition (failure, close). */
    void wakeEveryone()
    {
        final int limit = highWater;
        for (int i = 0; i < limit; i++)
        {
            final Waiter waiter = slots.get(i);
            if (waiter != null)
            {
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /** @return the slot {@code waiter} now holds, or -1 when every slot is taken (the waiter then polls) */
    int claim(final Waiter waiter)
    {
        for (int i = 0; i < SLOTS; i++)
        {
            if (slots.get(i) == null && slots.compareAndSet(i, null, waiter))
            {
                if (i >= highWater)
                {
                    raiseHighWater(i + 1);
                }
                return i;
            }
        }
        return -1;
    }

    /** Frees the slot {@link #claim} returned; nothing for -1. */
    void leave(final int slot)
    {
        if (slot >= 0)
        {
            slots.set(slot, null);
        }
    }

    private synchronized void raiseHighWater(final int atLeast)
    {
        if (highWater < atLeast)
        {
            highWater = atLeast;
        }
    }

    /** One per thread and per waiter set, reused by every wait of that thread. */
    static final class Waiter
    {
        static final AtomicIntegerFieldUpdater<Waiter> WOKEN =
            AtomicIntegerFieldUpdater.newUpdater(Waiter.class, "woken");

        final Thread thread = Thread.currentThread();
        volatile long target;
        volatile int woken;
    }
}
