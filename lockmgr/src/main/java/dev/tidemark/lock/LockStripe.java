package dev.tidemark.lock;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One partition of the lock table and the one mutex that guards it: its resources ({@link HeadTable}), a pool of
 * free request nodes, and the operations that change its queues. A resource always maps to the same stripe, so
 * an uncontended lock or unlock takes exactly one stripe mutex and no global one.
 *
 * <p>Callers hold {@link #lock} around every method except {@link #hasWaiters()}.
 */
final class LockStripe
{
    private static final int MAX_POOLED = 256;

    final ReentrantLock lock = new ReentrantLock();

    private final HeadTable heads = new HeadTable(this);
    private LockNode freeNodes;
    private int freeNodeCount;
    /** Nodes waiting in this stripe; written under {@link #lock}, read without it by the detector. */
    private volatile int waiting;

    /**
     * Applies the request rules of {@link LockHead}: grants at once, or queues (when {@code mayWait}).
     *
     * @return GRANTED, WAITING, TIMEOUT (would wait, but may not), or CANCELLED (would wait, owner cancelled).
     */
    LockResult request(final LockOwner owner, final LockTarget target, final LockMode mode, final boolean mayWait)
    {
        final LockHead head = heads.find(target);
        if (head == null)
        {
            grantFirst(heads.insert(target), owner, mode);
            return LockResult.GRANTED;
        }
        final LockNode held = head.grantedNodeOf(owner);
        if (held != null)
        {
            return requestUpgrade(head, held, mode, mayWait);
        }
        if (!head.hasWaiters() && head.isGrantable(mode, null))
        {
            grantFirst(head, owner, mode);
            return LockResult.GRANTED;
        }
        if (!mayWait)
        {
            return LockResult.TIMEOUT;
        }
        final LockNode node = newNode(owner, head);
        head.enqueueFirst(node, mode);
        return beginWait(node);
    }

    /** @return the node through which {@code owner} holds {@code target}, or null. */
    LockNode heldNode(final LockOwner owner, final LockTarget target)
    {
        final LockHead head = heads.find(target);
        return head == null ? null : head.grantedNodeOf(owner);
    }

    /** Drops the lock {@code node} holds, grants whoever can now proceed and pools what became unused. */
    void release(final LockNode node)
    {
        final LockHead head = node.head;
        head.removeGranted(node);
        head.grantWaiters();
        heads.removeIfEmpty(head);
        recycle(node);
    }

    /**
     * Ends the wait of {@code node} without granting it: it leaves the queue, keeps any mode it already held,
     * the waiters it was blocking are granted if they can be, and its owner sees {@code result}.
     */
    void abandon(final LockNode node, final LockResult result)
    {
        final LockHead head = node.head;
        final LockOwner owner = node.owner;
        head.removeWaiter(node);
        waiting--;
        if (!node.isUpgrade())
        {
            recycle(node);
        }
        head.grantWaiters();
        heads.removeIfEmpty(head);
        owner.finishWait(result);
    }

    /** Ends every wait in this stripe with {@code result}. */
    void abandonAllWaiters(final LockResult result)
    {
        LockNode node;
        while ((node = heads.anyWaiter()) != null)
        {
            abandon(node, result);
        }
    }

    /** Called by {@link LockHead#grantWaiters()} for every waiter it grants. */
    void signalGranted(final LockNode node)
    {
        waiting--;
        node.owner.finishWait(LockResult.GRANTED);
    }

    boolean hasWaiters()
    {
        return waiting > 0;
    }

    int size()
    {
        return heads.size();
    }

    /** Reports every waiting node; {@code sink} must not change the table. */
    void forEachWaiter(final Consumer<LockNode> sink)
    {
        if (waiting > 0)
        {
            heads.forEachWaiter(sink);
        }
    }

    private LockResult requestUpgrade(
        final LockHead head, final LockNode node, final LockMode mode, final boolean mayWait)
    {
        final LockMode held = node.granted;
        if (held.covers(mode))
        {
            return LockResult.GRANTED;
        }
        final LockMode joined = held.join(mode);
        if (head.isGrantable(joined, held))
        {
            head.upgradeGranted(node, joined);
            return LockResult.GRANTED;
        }
        if (!mayWait)
        {
            return LockResult.TIMEOUT;
        }
        head.enqueueUpgrade(node, joined);
        return beginWait(node);
    }

    private void grantFirst(final LockHead head, final LockOwner owner, final LockMode mode)
    {
        final LockNode node = newNode(owner, head);
        head.addGranted(node, mode);
        owner.addHeld(node);
    }

    private LockResult beginWait(final LockNode node)
    {
        final LockOwner owner = node.owner;
        node.waitStartNanos = System.nanoTime();
        waiting++;
        owner.beginWait(node);
        // pairs with LockManager.cancel: either it sees this wait, or this sees its flag
        if (owner.cancelled)
        {
            abandon(node, LockResult.CANCELLED);
            return owner.collect();
        }
        return LockResult.WAITING;
    }

    private LockNode newNode(final LockOwner owner, final LockHead head)
    {
        LockNode node = freeNodes;
        if (node != null)
        {
            freeNodes = node.nextFree;
            node.nextFree = null;
            freeNodeCount--;
        }
        else
        {
            node = new LockNode(this);
        }
        node.owner = owner;
        node.head = head;
        return node;
    }

    private void recycle(final LockNode node)
    {
        node.clear();
        if (freeNodeCount < MAX_POOLED)
        {
            node.nextFree = freeNodes;
            freeNodes = node;
            freeNodeCount++;
        }
    }
}
