package dev.tidemark.wal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log's shared progress: what is written, what is durable, which segments exist, and the fail-stop latch.
 * The journal thread moves the LSNs forward (never back); every other thread only reads them, requests forces
 * and waits. Segment list changes (roll, retirement) publish a new array; readers take a snapshot.
 */
final class LogState
{
    private final DurabilityWaiters durableWaiters = new DurabilityWaiters();
    private final DurabilityWaiters writtenWaiters = new DurabilityWaiters();
    private final AtomicLong forceRequestedUpTo = new AtomicLong();
    private volatile long writtenLsn;
    private volatile long durableLsn;
    private volatile RuntimeException failure;
    private volatile boolean closing;
    private volatile Segment[] segments;

    LogState(final Segment[] segments, final long lastLsn)
    {
        this.segments = segments;
        this.writtenLsn = lastLsn;
        this.durableLsn = lastLsn;
    }

    long writtenLsn()
    {
        return writtenLsn;
    }

    long durableLsn()
    {
        return durableLsn;
    }

    RuntimeException failure()
    {
        return failure;
    }

    boolean isClosing()
    {
        return closing;
    }

    void closing()
    {
        closing = true;
        durableWaiters.wakeEveryone();
        writtenWaiters.wakeEveryone();
    }

    void written(final long lsn)
    {
        writtenLsn = lsn;
        writtenWaiters.wake(lsn);
    }

    void durable(final long lsn)
    {
        if (lsn > durableLsn)
        {
            durableLsn = lsn;
        }
        durableWaiters.wake(durableLsn);
    }

    /** Latches the first failure; later ones are attached to it as suppressed. */
    synchronized void fail(final RuntimeException cause)
    {
        if (failure == null)
        {
            failure = cause;
        }
        else if (failure != cause)
        {
            failure.addSuppressed(cause);
        }
        durableWaiters.wakeEveryone();
        writtenWaiters.wakeEveryone();
    }

    void requestForce(final long lsn)
    {
        forceRequestedUpTo.accumulateAndGet(lsn, Math::max);
    }

    boolean forceRequested(final long lastWritten)
    {
        final long requested = forceRequestedUpTo.get();
        return requested > durableLsn && lastWritten > durableLsn;
    }

    /** Waiters on {@link #durableLsn()}. */
    DurabilityWaiters durableWaiters()
    {
        return durableWaiters;
    }

    /** Waiters on {@link #writtenLsn()}. */
    DurabilityWaiters writtenWaiters()
    {
        return writtenWaiters;
    }

    Segment[] segments()
    {
        return segments;
    }

    synchronized void addSegment(final Segment segment)
    {
        final Segment[] current = segments;
        final Segment[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = segment;
        segments = grown;
    }

    synchronized void removeSegments(final int count)
    {
        segments = Arrays.copyOfRange(segments, count, segments.length);
    }

    /** @return the segment that holds {@code lsn} (the last one whose first LSN is at most it), or null. */
    static Segment find(final Segment[] snapshot, final long lsn)
    {
        int low = 0;
        int high = snapshot.length - 1;
        Segment found = null;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (snapshot[mid].firstLsn() <= lsn)
            {
                found = snapshot[mid];
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }
}
