package dev.tidemark.lock;

import java.util.concurrent.locks.LockSupport;

/**
 * How a pending request ends other than by a grant: the blocking wait with its timeout and interruption, and
 * abandoning a wait on behalf of a timeout, an interrupt, a cancellation or a rollback. Stateless.
 *
 * <p>Thread-safe: {@link #park} runs on the thread driving the owner; {@link #abandon} on any thread.
 */
final class Waits
{
    private Waits()
    {
    }

    /**
     * Parks the calling thread until the owner's wait ends: granted by a releaser, chosen as a deadlock victim,
     * cancelled, interrupted (the interrupt status stays set) or timed out.
     */
    static void park(final LockOwner owner, final long timeoutNanos, final Object blocker)
    {
        final Thread thread = Thread.currentThread();
        owner.waiter = thread;
        final long deadline = timeoutNanos == LockManager.NO_TIMEOUT ? 0 : System.nanoTime() + timeoutNanos;
        while (owner.status == LockResult.WAITING)
        {
            if (thread.isInterrupted())
            {
                abandon(owner, LockResult.INTERRUPTED);
            }
            else if (timeoutNanos == LockManager.NO_TIMEOUT)
            {
                LockSupport.park(blocker);
            }
            else
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining > 0)
                {
                    LockSupport.parkNanos(blocker, remaining);
                }
                else
                {
                    abandon(owner, LockResult.TIMEOUT);
                }
            }
        }
        owner.waiter = null;
    }

    /**
     * Ends the owner's wait with {@code result} unless it has already ended (a grant that won the race stays).
     *
     * @return true when this call ended the wait.
     */
    static boolean abandon(final LockOwner owner, final LockResult result)
    {
        final LockNode node = owner.pending;
        if (node == null)
        {
            return false;
        }
        final LockStripe stripe = node.stripe;
        stripe.lock.lock();
        try
        {
            // the node may have been recycled since it was read: it is ours only if the owner still waits on it
            if (owner.pending != node || owner.status != LockResult.WAITING)
            {
                return false;
            }
            stripe.abandon(node, result);
            return true;
        }
        finally
        {
            stripe.lock.unlock();
        }
    }
}
