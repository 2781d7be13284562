package dev.tidemark.lock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling it (for example the lock-wait view), with a generous guard against hangs. */
final class Conditions
{
    private static final long GUARD_NANOS = TimeUnit.SECONDS.toNanos(30);

    private Conditions()
    {
    }

    static void awaitCondition(final BooleanSupplier condition, final Supplier<String> whatWasExpected)
    {
        final long deadline = System.nanoTime() + GUARD_NANOS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("condition never became true: " + whatWasExpected.get());
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Waits until the lock-wait view shows exactly {@code count} waiting transactions. */
    static void awaitWaiters(final LockManager manager, final int count)
    {
        awaitCondition(() -> manager.waits().size() == count,
            () -> count + " waiters, but the view shows " + manager.waits());
    }
}
