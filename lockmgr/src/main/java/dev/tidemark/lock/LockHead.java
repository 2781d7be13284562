package dev.tidemark.lock;

import java.util.function.Consumer;

/**
 * The lock queue of one resource: who holds it in which mode, and who waits in which order. It enforces the
 * fairness rules:
 *
 * <ul>
 *   <li>a first request is granted at once only when nobody waits and its mode is compatible with every holder;
 *       otherwise it joins the tail of the queue;</li>
 *   <li>an upgrade (a holder asking for a stronger mode) is granted at once when the joined mode is compatible
 *       with every other holder; otherwise it waits ahead of every first request, behind earlier upgrades;</li>
 *   <li>when the holders change, every waiting upgrade that has become compatible is granted; then, only if no
 *       upgrade still waits, first requests are granted from the head of the queue in order until the first that
 *       is incompatible (so compatible requests at the head go together, and a waiting X is not overtaken by a
 *       stream of S).</li>
 * </ul>
 *
 * <p>Pooled by its stripe. Guarded by the stripe's lock; after every operation no waiter is grantable.
 */
final class LockHead
{
    final LockStripe stripe;

    private final int[] grantedCounts = new int[LockMode.values().length];
    private final ResourceKey key = new ResourceKey();
    private LockNode grantedFirst;
    private LockNode waitFirst;
    private LockNode waitLast;
    private LockNode lastUpgrade;
    LockHead nextInBucket;

    LockHead(final LockStripe stripe)
    {
        this.stripe = stripe;
    }

    void init(final LockTarget target)
    {
        key.copyOf(target);
    }

    int hash()
    {
        return key.hash();
    }

    boolean matches(final LockTarget target)
    {
        return key.matches(target);
    }

    LockResource toResource()
    {
        return key.toResource();
    }

    boolean isEmpty()
    {
        return grantedFirst == null && waitFirst == null;
    }

    boolean hasWaiters()
    {
        return waitFirst != null;
    }

    /** @return the node through which {@code owner} holds this resource, or null. */
    LockNode grantedNodeOf(final LockOwner owner)
    {
        for (LockNode node = grantedFirst; node != null; node = node.grantedNext)
        {
            if (node.owner == owner)
            {
                return node;
            }
        }
        return null;
    }

    /** @return true when {@code mode} is compatible with every holder other than the one holding {@code own}. */
    boolean isGrantable(final LockMode mode, final LockMode own)
    {
        int held = 0;
        for (int i = 0; i < grantedCounts.length; i++)
        {
            final int count = own != null && own.ordinal() == i ? grantedCounts[i] - 1 : grantedCounts[i];
            if (count > 0)
            {
                held |= 1 << i;
            }
        }
        return (held & ~mode.compatibleMask()) == 0;
    }

    void addGranted(final LockNode node, final LockMode mode)
    {
        node.granted = mode;
        grantedCounts[mode.ordinal()]++;
        node.grantedPrev = null;
        node.grantedNext = grantedFirst;
        if (grantedFirst != null)
        {
            grantedFirst.grantedPrev = node;
        }
        grantedFirst = node;
    }

    void upgradeGranted(final LockNode node, final LockMode mode)
    {
        grantedCounts[node.granted.ordinal()]--;
        grantedCounts[mode.ordinal()]++;
        node.granted = mode;
    }

    void removeGranted(final LockNode node)
    {
        grantedCounts[node.granted.ordinal()]--;
        if (node.grantedPrev != null)
        {
            node.grantedPrev.grantedNext = node.grantedNext;
        }
        else
        {
            grantedFirst = node.grantedNext;
        }
        if (node.grantedNext != null)
        {
            node.grantedNext.grantedPrev = node.grantedPrev;
        }
        node.grantedPrev = null;
        node.grantedNext = null;
        node.granted = null;
    }

    /** Queues a first request at the tail. */
    void enqueueFirst(final LockNode node, final LockMode mode)
    {
        node.requested = mode;
        linkWaiterAfter(waitLast, node);
    }

    /** Queues an upgrade of a holder behind earlier upgrades and ahead of every first request. */
    void enqueueUpgrade(final LockNode node, final LockMode mode)
    {
        node.requested = mode;
        linkWaiterAfter(lastUpgrade, node);
        lastUpgrade = node;
    }

    /** Takes a waiter out of the queue; it keeps what it holds. The caller then calls {@link #grantWaiters}. */
    void removeWaiter(final LockNode node)
    {
        if (node == lastUpgrade)
        {
            lastUpgrade = node.waitPrev;
        }
        if (node.waitPrev != null)
        {
            node.waitPrev.waitNext = node.waitNext;
        }
        else
        {
            waitFirst = node.waitNext;
        }
        if (node.waitNext != null)
        {
            node.waitNext.waitPrev = node.waitPrev;
        }
        else
        {
            waitLast = node.waitPrev;
        }
        node.waitPrev = null;
        node.waitNext = null;
        node.requested = null;
    }

    /** Grants every waiter that the fairness rules let through now, and signals its owner. */
    void grantWaiters()
    {
        LockNode node = waitFirst;
        boolean upgradeWaits = false;
        while (node != null && node.isUpgrade())
        {
            final LockNode next = node.waitNext;
            final LockMode mode = node.requested;
            if (isGrantable(mode, node.granted))
            {
                removeWaiter(node);
                upgradeGranted(node, mode);
                stripe.signalGranted(node);
            }
            else
            {
                upgradeWaits = true;
            }
            node = next;
        }
        while (!upgradeWaits && node != null && isGrantable(node.requested, null))
        {
            final LockNode next = node.waitNext;
            final LockMode mode = node.requested;
            removeWaiter(node);
            addGranted(node, mode);
            stripe.signalGranted(node);
            node = next;
        }
    }

    /**
     * Reports the owners that the waiter {@code node} waits for: every other holder whose mode is incompatible
     * with the mode it asks for and, for a first request, every waiter ahead of it (the queue is FIFO, so it
     * cannot pass them). An owner may be reported twice.
     */
    void forEachBlocker(final LockNode node, final Consumer<LockOwner> sink)
    {
        final LockMode mode = node.requested;
        for (LockNode holder = grantedFirst; holder != null; holder = holder.grantedNext)
        {
            if (holder != node && !mode.isCompatibleWith(holder.granted))
            {
                sink.accept(holder.owner);
            }
        }
        if (!node.isUpgrade())
        {
            for (LockNode ahead = waitFirst; ahead != node; ahead = ahead.waitNext)
            {
                sink.accept(ahead.owner);
            }
        }
    }

    /** Reports the waiters in queue order; {@code sink} must not change the queue. */
    void forEachWaiter(final Consumer<LockNode> sink)
    {
        for (LockNode node = waitFirst; node != null; node = node.waitNext)
        {
            sink.accept(node);
        }
    }

    LockNode firstWaiter()
    {
        return waitFirst;
    }


    void clear()
    {
        grantedFirst = null;
        waitFirst = null;
        waitLast = null;
        lastUpgrade = null;
        nextInBucket = null;
    }

    private void linkWaiterAfter(final LockNode previous, final LockNode node)
    {
        final LockNode next = previous == null ? waitFirst : previous.waitNext;
        node.waitPrev = previous;
        node.waitNext = next;
        if (previous == null)
        {
            waitFirst = node;
        }
        else
        {
            previous.waitNext = node;
        }
        if (next == null)
        {
            waitLast = node;
        }
        else
        {
            next.waitPrev = node;
        }
    }
}
