package dev.tidemark;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash points for crash tests: the engine calls {@link #reached} at each {@link CrashPoint}; a test arms one point
 * with an action (typically halting a simulated file system, or halting the process) that runs when the point is
 * reached for the n-th time.
 *
 * <p>Off unless the JVM runs with {@code -Dtidemark.crashPoints=true} ({@value #PROPERTY}). Off, {@link #reached}
 * tests a {@code static final} flag that the JIT folds away: production code pays nothing. Arming while off fails
 * with {@link IllegalStateException}, so that a test cannot pass by never crashing.
 *
 * <p>One point is armed at a time for the whole JVM; tests that use crash points must not run in parallel.
 * Thread-safe.
 */
public final class CrashPoints
{
    /** The system property that turns crash points on: {@code tidemark.crashPoints}. */
    public static final String PROPERTY = "tidemark.crashPoints";
    /** Whether crash points were turned on when this class loaded. */
    public static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

    private static volatile Armed armed;

    private CrashPoints()
    {
    }

    /** Called by the engine at {@code point}: runs the armed action when this is its n-th arrival. */
    public static void reached(final CrashPoint point)
    {
        if (ENABLED)
        {
            final Armed current = armed;
            if (current != null && current.point == point)
            {
                current.arrive();
            }
        }
    }

    /**
     * Arms {@code point}: the {@code arrival}-th time the engine reaches it (1 = the next time), {@code action} runs
     * once, on the thread that reached it; an exception it throws propagates from there. Replaces any point armed
     * before.
     *
     * @throws IllegalStateException when crash points are off
     */
    public static void arm(final CrashPoint point, final int arrival, final Runnable action)
    {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(action, "action");
        if (arrival < 1)
        {
            throw new IllegalArgumentException("arrival must be 1 or more, was " + arrival);
        }
        if (!ENABLED)
        {
            throw new IllegalStateException("crash points are off; run the JVM with -D" + PROPERTY + "=true");
        }
        armed = new Armed(point, arrival, action);
    }

    /** Disarms the armed point, if any. */
    public static void disarm()
    {
        armed = null;
    }

    /** @return whether the armed point's action ran (false when none is armed) */
    public static boolean fired()
    {
        final Armed current = armed;
        return current != null && current.remaining.get() <= 0;
    }

    private static final class Armed
    {
        final CrashPoint point;
        final AtomicInteger remaining;
        final Runnable action;

        Armed(final CrashPoint point, final int arrival, final Runnable action)
        {
            this.point = point;
            this.remaining = new AtomicInteger(arrival);
            this.action = action;
        }

        void arrive()
        {
            if (remaining.decrementAndGet() == 0)
            {
                action.run();
            }
        }
    }
}
