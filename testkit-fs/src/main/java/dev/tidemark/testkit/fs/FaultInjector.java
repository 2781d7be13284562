package dev.tidemark.testkit.fs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Counts the I/O operations of one {@link SimulatedFileSystem} and decides which of them fail: rules "the N-th
 * operation of kind K fails once" or "fails from then on", and one crash point "the k-th operation of any kind
 * crashes the machine". Indexes are 1-based and count operations started since construction or the last
 * {@link #resetCounts()}; an operation counts when it starts, whether it then fails or not.
 *
 * <p>A harness first runs a workload once to learn its operation count N, then replays it with a crash at
 * every k in 1..N, or with a failure of every n-th write, force, rename, ... (SQLite's I/O-error loop).
 *
 * <p>Thread-safe: it shares the lock of its file system.
 */
public final class FaultInjector
{
    private final Object lock;
    private final String seedText;
    private final long[] counts = new long[OpKind.values().length];
    private final List<Rule> rules = new ArrayList<>();
    private long total;
    private long crashAt;

    FaultInjector(final Object lock, final String seedText)
    {
        this.lock = lock;
        this.seedText = seedText;
    }

    /** @return the number of operations started since construction or {@link #resetCounts()}. */
    public long operationCount()
    {
        synchronized (lock)
        {
            return total;
        }
    }

    /** @return the number of operations of {@code kind} started since construction or {@link #resetCounts()}. */
    public long operationCount(final OpKind kind)
    {
        synchronized (lock)
        {
            return counts[kind.ordinal()];
        }
    }

    /** Restarts every count at zero; rules and the crash point stay and refer to the new counts. */
    public void resetCounts()
    {
        synchronized (lock)
        {
            total = 0;
            Arrays.fill(counts, 0);
        }
    }

    /**
     * When operation number {@code index} (any kind) starts, the machine crashes: that operation and every later
     * one throws {@link SimulatedCrashException}.
     *
     * @throws IllegalArgumentException if that operation has already started
     */
    public void crashAtOperation(final long index)
    {
        synchronized (lock)
        {
            if (index <= total)
            {
                throw new IllegalArgumentException("crash point " + index + " is not ahead of the "
                    + total + " operations already counted (" + seedText + ")");
            }
            crashAt = index;
        }
    }

    /** Operation number {@code nth} of {@code kind} fails once with {@link InjectedFaultException}. */
    public void failOnce(final OpKind kind, final long nth)
    {
        addRule(kind, nth, false);
    }

    /** Operation number {@code nth} of {@code kind} and every later one of that kind fail. */
    public void failFrom(final OpKind kind, final long nth)
    {
        addRule(kind, nth, true);
    }

    /** Removes every rule and the crash point: the fault is gone. */
    public void clear()
    {
        synchronized (lock)
        {
            rules.clear();
            crashAt = 0;
        }
    }

    @Override
    public String toString()
    {
        synchronized (lock)
        {
            return "FaultInjector[" + seedText + ", operations=" + total + ", crashAt="
                + (crashAt == 0 ? "none" : crashAt) + ", rules=" + rules + "]";
        }
    }

    /** Counts an operation that starts; caller holds the lock. @return its index among all operations. */
    long start(final OpKind kind)
    {
        counts[kind.ordinal()]++;
        return ++total;
    }

    /** @return whether operation {@code index} is the crash point; caller holds the lock. */
    boolean crashesAt(final long index)
    {
        return crashAt != 0 && index == crashAt;
    }

    /** @return the failure for the operation of {@code kind} just started, or null; caller holds the lock. */
    InjectedFaultException failureFor(final OpKind kind, final Object target)
    {
        final long nth = counts[kind.ordinal()];
        final Iterator<Rule> it = rules.iterator();
        while (it.hasNext())
        {
            final Rule rule = it.next();
            if (rule.kind == kind && (rule.persistent ? nth >= rule.nth : nth == rule.nth))
            {
                if (!rule.persistent)
                {
                    it.remove();
                }
                return new InjectedFaultException(kind, nth, "injected I/O error: " + kind + " #" + nth
                    + " (I/O operation #" + total + ") on " + target + " fails "
                    + (rule.persistent ? "from " + kind + " #" + rule.nth + " on" : "once") + " (" + seedText
                    + ")");
            }
        }
        return null;
    }

    private void addRule(final OpKind kind, final long nth, final boolean persistent)
    {
        synchronized (lock)
        {
            if (nth <= counts[kind.ordinal()])
            {
                throw new IllegalArgumentException(kind + " #" + nth + " is not ahead of the "
                    + counts[kind.ordinal()] + " " + kind + " operations already counted (" + seedText + ")");
            }
            rules.add(new Rule(kind, nth, persistent));
        }
    }

    private record Rule(OpKind kind, long nth, boolean persistent)
    {
        @Override
        public String toString()
        {
            return kind + (persistent ? " from #" : " once at #") + nth;
        }
    }
}
