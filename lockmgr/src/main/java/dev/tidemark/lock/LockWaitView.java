package dev.tidemark.lock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.agrona.collections.LongHashSet;

/**
 * Builds the lock-wait view: stripes without waiters are skipped without locking, the others are locked one at
 * a time, so the view is consistent within a stripe but not across stripes. Stateless; thread-safe.
 */
final class LockWaitView
{
    private LockWaitView()
    {
    }

    static List<LockWait> of(final LockStripe[] stripes)
    {
        final List<LockWait> waits = new ArrayList<>();
        final long now = System.nanoTime();
        for (final LockStripe stripe : stripes)
        {
            if (!stripe.hasWaiters())
            {
                continue;
            }
            stripe.lock.lock();
            try
            {
                stripe.forEachWaiter(node -> waits.add(describe(node, now)));
            }
            finally
            {
                stripe.lock.unlock();
            }
        }
        waits.sort(Comparator.comparingLong(LockWait::txnId));
        return waits;
    }

    private static LockWait describe(final LockNode node, final long now)
    {
        final LongHashSet blockers = new LongHashSet();
        node.head.forEachBlocker(node, blocker -> blockers.add(blocker.txnId));
        final long[] waitsFor = new long[blockers.size()];
        int i = 0;
        final LongHashSet.LongIterator iterator = blockers.iterator();
        while (iterator.hasNext())
        {
            waitsFor[i++] = iterator.nextValue();
        }
        Arrays.sort(waitsFor);
        return new LockWait(node.owner.txnId, node.head.toResource(), node.requested, node.granted, waitsFor,
            now - node.waitStartNanos);
    }
}
