package dev.tidemark.lock;

import java.util.function.Consumer;

/**
 * The resources of one stripe: a chained hash table from resource to {@link LockHead}, which grows by doubling
 * and never shrinks, plus a bounded pool of free heads so that locking a new resource allocates nothing in the
 * steady state. A head is in the table exactly while someone holds or waits for its resource.
 *
 * <p>Not thread-safe: guarded by the lock of the stripe that owns it.
 */
final class HeadTable
{
    private static final int INITIAL_BUCKETS = 16;
    private static final int MAX_POOLED = 256;

    private final LockStripe stripe;
    private LockHead[] buckets = new LockHead[INITIAL_BUCKETS];
    private int size;
    private LockHead freeHeads;
    private int freeHeadCount;

    HeadTable(final LockStripe stripe)
    {
        this.stripe = stripe;
    }

    LockHead find(final LockTarget target)
    {
        for (LockHead head = buckets[target.hash() & (buckets.length - 1)]; head != null; head = head.nextInBucket)
        {
            if (head.matches(target))
            {
                return head;
            }
        }
        return null;
    }

    /** Adds an empty head for a resource that has none. */
    LockHead insert(final LockTarget target)
    {
        LockHead head = freeHeads;
        if (head != null)
        {
            freeHeads = head.nextInBucket;
            freeHeadCount--;
        }
        else
        {
            head = new LockHead(stripe);
        }
        head.init(target);
        if (++size > buckets.length - (buckets.length >> 2))
        {
            grow();
        }
        final int index = head.hash() & (buckets.length - 1);
        head.nextInBucket = buckets[index];
        buckets[index] = head;
        return head;
    }

    /** Removes and pools {@code head} once nobody holds or waits for it. */
    void removeIfEmpty(final LockHead head)
    {
        if (!head.isEmpty())
        {
            return;
        }
        final int index = head.hash() & (buckets.length - 1);
        LockHead previous = null;
        LockHead current = buckets[index];
        while (current != head)
        {
            previous = current;
            current = current.nextInBucket;
        }
        if (previous == null)
        {
            buckets[index] = head.nextInBucket;
        }
        else
        {
            previous.nextInBucket = head.nextInBucket;
        }
        size--;
        head.clear();
        if (freeHeadCount < MAX_POOLED)
        {
            head.nextInBucket = freeHeads;
            freeHeads = head;
            freeHeadCount++;
        }
    }

    int size()
    {
        return size;
    }

    /** Reports every waiting node, resource by resource in queue order; {@code sink} must not change the table. */
    void forEachWaiter(final Consumer<LockNode> sink)
    {
        for (final LockHead first : buckets)
        {
            for (LockHead head = first; head != null; head = head.nextInBucket)
            {
                if (head.hasWaiters())
                {
                    head.forEachWaiter(sink);
                }
            }
        }
    }

    /** @return some waiting node, or null when nobody waits. */
    LockNode anyWaiter()
    {
        for (final LockHead first : buckets)
        {
            for (LockHead head = first; head != null; head = head.nextInBucket)
            {
                if (head.hasWaiters())
                {
                    return head.firstWaiter();
                }
            }
        }
        return null;
    }

    private void grow()
    {
        final LockHead[] grown = new LockHead[buckets.length * 2];
        for (final LockHead first : buckets)
        {
            LockHead head = first;
            while (head != null)
            {
                final LockHead next = head.nextInBucket;
                final int index = head.hash() & (grown.length - 1);
                head.nextInBucket = grown[index];
                grown[index] = head;
                head = next;
            }
        }
        buckets = grown;
    }
}
