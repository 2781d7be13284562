package dev.tidemark.lock;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The locking identity of one transaction, created by {@link LockManager#newOwner(long)}. It remembers the locks
 * the transaction holds (so that {@link LockManager#releaseAll(LockOwner)} needs no search) and its one pending
 * request (a transaction waits for at most one lock at a time).
 *
 * <p>Threading: one thread at a time drives an owner through the lock manager; handing an owner to another
 * thread needs a happens-before edge (as handing over the transaction does anyway). Only
 * {@link LockManager#cancel(LockOwner)} may be called from any thread at any time.
 */
public final class LockOwner
{
    final LockManager manager;
    final long txnId;
    final long sequence;

    private LockNode[] held = new LockNode[8];
    private int heldCount;

    /** The node of the pending request; written under its stripe's lock or by the driving thread. */
    volatile LockNode pending;
    /** Null when nothing is pending, {@link LockResult#WAITING}, or the outcome not yet collected. */
    volatile LockResult status;
    /** The thread parked in {@link LockManager#await}, unparked when the wait ends. */
    volatile Thread waiter;
    /** Set by {@link LockManager#cancel}: every later wait of this owner ends at once as CANCELLED. */
    volatile boolean cancelled;

    /** Scratch of the deadlock detector, guarded by every stripe lock. */
    long graphEpoch;
    int graphIndex;

    LockOwner(final LockManager manager, final long txnId, final long sequence)
    {
        this.manager = manager;
        this.txnId = txnId;
        this.sequence = sequence;
    }

    /** @return the transaction id given to {@link LockManager#newOwner(long)}. */
    public long txnId()
    {
        return txnId;
    }

    /** @return how many resources this owner holds a lock on (pending requests not included). */
    public int lockCount()
    {
        return heldCount;
    }

    @Override
    public String toString()
    {
        return "LockOwner{txn=" + txnId + ", locks=" + heldCount + ", status=" + status + '}';
    }

    /** @return true when this owner is younger than {@code other}: a larger transaction id, or created later. */
    boolean isYoungerThan(final LockOwner other)
    {
        return txnId != other.txnId ? txnId > other.txnId : sequence > other.sequence;
    }

    void addHeld(final LockNode node)
    {
        if (heldCount == held.length)
        {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        node.heldIndex = heldCount;
        held[heldCount++] = node;
    }

    void removeHeld(final LockNode node)
    {
        final int index = node.heldIndex;
        final LockNode last = held[--heldCount];
        held[index] = last;
        last.heldIndex = index;
        held[heldCount] = null;
        node.heldIndex = -1;
    }

    /** @return the most recently added held node, or null. */
    LockNode lastHeld()
    {
        return heldCount == 0 ? null : held[heldCount - 1];
    }

    /** Called under the stripe lock of {@code node} when its wait begins. */
    void beginWait(final LockNode node)
    {
        pending = node;
        status = LockResult.WAITING;
    }

    /** Called under the stripe lock of the pending node when its wait ends, by whichever thread ends it. */
    void finishWait(final LockResult result)
    {
        if (result != LockResult.GRANTED)
        {
            pending = null;
        }
        status = result;
        final Thread thread = waiter;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    /** Collects the outcome of a finished wait on the driving thread and clears the pending slot. */
    LockResult collect()
    {
        final LockResult result = status;
        if (result == LockResult.GRANTED)
        {
            final LockNode node = pending;
            if (node.heldIndex < 0)
            {
                addHeld(node);
            }
        }
        pending = null;
        status = null;
        return result;
    }
}
