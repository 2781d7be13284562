package dev.tidemark.lock;

/**
 * One transaction's lock on one resource: the mode it holds, the mode it waits for, and its links in the
 * resource's granted list and wait queue. Pooled by its stripe and reused.
 *
 * <p>Every field is guarded by the lock of {@link #stripe}, except {@link #heldIndex}, which only the thread
 * driving {@link #owner} reads and writes.
 */
final class LockNode
{
    final LockStripe stripe;

    LockOwner owner;
    LockHead head;
    /** The mode held, or null while a first request waits. */
    LockMode granted;
    /** The mode waited for (already joined with {@link #granted} for an upgrade), or null when not waiting. */
    LockMode requested;
    LockNode grantedPrev;
    LockNode grantedNext;
    LockNode waitPrev;
    LockNode waitNext;
    long waitStartNanos;
    /** Position in the owner's list of held locks, or -1 when not there yet. Owner's thread only. */
    int heldIndex = -1;
    LockNode nextFree;

    LockNode(final LockStripe stripe)
    {
        this.stripe = stripe;
    }

    boolean isUpgrade()
    {
        return granted != null;
    }

    void clear()
    {
        owner = null;
        head = null;
        granted = null;
        requested = null;
        grantedPrev = null;
        grantedNext = null;
        waitPrev = null;
        waitNext = null;
        heldIndex = -1;
    }
}
