package dev.tidemark.lock;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Row, range and keyspace locks for transactions: modes and their compatibility ({@link LockMode}), fair queues,
 * timeouts, cancellation, deadlock detection and a lock-wait view. It knows nothing about pages or the log.
 *
 * <p>A transaction gets a {@link LockOwner} from {@link #newOwner(long)}, names resources through a reusable
 * {@link LockTarget}, and locks them with {@link #acquire}, which blocks; {@link #request} is the same request
 * without blocking, whose wait is then finished with {@link #await} or observed with {@link #poll}. Locks are
 * dropped one by one with {@link #release} or all at once with {@link #releaseAll} (commit or rollback).
 *
 * <p>Fairness, per resource:
 * <ul>
 *   <li>a re-request of a mode the owner already holds, or of a weaker one, is granted at once;</li>
 *   <li>a first request is granted at once only when nobody waits and its mode is compatible with every holder;
 *       otherwise it joins the tail of the queue (so a waiting X is not starved by a stream of S);</li>
 *   <li>an upgrade (a holder asking for more; the modes are joined, S held plus IX asked is SIX) is granted at
 *       once when compatible with every other holder; otherwise it waits ahead of all first requests, behind
 *       earlier upgrades;</li>
 *   <li>when holders leave, every waiting upgrade that has become compatible is granted; then, if no upgrade
 *       still waits, first requests are granted from the head of the queue, in order, up to the first
 *       incompatible one (so compatible requests at the head are granted together).</li>
 * </ul>
 *
 * <p>Deadlocks are found as configured by {@link LockManagerOptions#deadlockDetection()}; the victim is the youngest
 * transaction on a cycle (largest transaction id; among equal ids, the owner created last), its wait ends with
 * {@link LockResult#DEADLOCK}, and it keeps the locks it holds until it calls {@link #releaseAll}.
 *
 * <p>The table is split into {@link LockManagerOptions#stripes() stripes}; locking or unlocking a resource takes
 * only the mutex of its stripe, and an uncontended acquire plus release allocates nothing once pools are warm.
 *
 * <p>Threading: every method is thread-safe. A {@link LockOwner} is driven by one thread at a time
 * ({@link #acquire}, {@link #request}, {@link #await}, {@link #poll}, {@link #release}, {@link #releaseAll},
 * {@link #heldMode}); {@link #cancel}, {@link #detectDeadlocks}, {@link #waits}, {@link #resourceCount} and
 * {@link #close} may be called from any thread.
 */
public final class LockManager implements AutoCloseable
{
    /** A timeout that never expires. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;

    private final LockManagerOptions options;
    private final LockStripe[] stripes;
    private final int stripeMask;
    private final DeadlockDetector detector;
    private final DeadlockDetectorThread detectorThread;
    private final AtomicLong ownerSequence = new AtomicLong();
    private volatile boolean closed;

    private LockManager(final LockManagerOptions options)
    {
        this.options = options;
        this.stripes = new LockStripe[options.stripes()];
        for (int i = 0; i < stripes.length; i++)
        {
            stripes[i] = new LockStripe();
        }
        this.stripeMask = stripes.length - 1;
        this.detector = new DeadlockDetector(stripes);
        this.detectorThread = options.deadlockDetection() == DeadlockDetection.PERIODIC ?
            DeadlockDetectorThread.start(detector, options.deadlockIntervalNanos()) : null;
    }

    /** Creates a lock manager; with {@link DeadlockDetection#PERIODIC} this starts the detector thread. */
    public static LockManager open(final LockManagerOptions options)
    {
        return new LockManager(Objects.requireNonNull(options, "options"));
    }

    public LockManagerOptions options()
    {
        return options;
    }

    /**
     * @param txnId the transaction's id; ids should grow with transaction start, because the youngest (largest
     *     id) transaction of a deadlock is its victim. A retried transaction that keeps its first id keeps its age.
     * @return a new owner for one transaction.
     */
    public LockOwner newOwner(final long txnId)
    {
        return new LockOwner(this, txnId, ownerSequence.incrementAndGet());
    }

    /**
     * Locks {@code target} in {@code mode}, waiting at most {@code timeoutNanos} (0: do not wait;
     * {@link #NO_TIMEOUT}: no limit).
     *
     * @return GRANTED, TIMEOUT, DEADLOCK, CANCELLED or INTERRUPTED; never WAITING.
     */
    public LockResult acquire(
        final LockOwner owner, final LockTarget target, final LockMode mode, final long timeoutNanos)
    {
        checkTimeout(timeoutNanos);
        final LockResult result = request(owner, target, mode, timeoutNanos > 0);
        return result == LockResult.WAITING ? await(owner, timeoutNanos) : result;
    }

    /**
     * Requests {@code target} in {@code mode} without blocking. When the result is WAITING the request is queued;
     * finish it with {@link #await}, observe it with {@link #poll}, or give it up with {@link #cancel}. Until its
     * outcome is collected (by await or poll), the owner can make no other request and release nothing.
     *
     * @return GRANTED, WAITING, or CANCELLED when the owner was cancelled and the request would have had to wait.
     */
    public LockResult request(final LockOwner owner, final LockTarget target, final LockMode mode)
    {
        return request(owner, target, mode, true);
    }

    /**
     * Waits for the owner's pending request to be decided.
     *
     * @return GRANTED, TIMEOUT, DEADLOCK, CANCELLED or INTERRUPTED.
     * @throws IllegalStateException when the owner has no pending request.
     */
    public LockResult await(final LockOwner owner, final long timeoutNanos)
    {
        checkOwner(owner);
        checkTimeout(timeoutNanos);
        if (owner.status == null)
        {
            throw new IllegalStateException("transaction " + owner.txnId + " has no pending lock request");
        }
        if (owner.status == LockResult.WAITING)
        {
            Waits.park(owner, timeoutNanos, this);
        }
        return owner.collect();
    }

    /**
     * @return WAITING while the owner's pending request waits, else its outcome, which is then collected.
     * @throws IllegalStateException when the owner has no pending request.
     */
    public LockResult poll(final LockOwner owner)
    {
        checkOwner(owner);
        final LockResult status = owner.status;
        if (status == null)
        {
            throw new IllegalStateException("transaction " + owner.txnId + " has no pending lock request");
        }
        return status == LockResult.WAITING ? status : owner.collect();
    }

    /**
     * Cancels the owner's transaction for a reason of its own (for example an abort from another thread): its
     * current wait ends with CANCELLED, and so does, at once, every later request of this owner that would have
     * to wait. Locks already held stay held until {@link #releaseAll}. Any thread may call this.
     *
     * @return true when a wait was ended by this call.
     */
    public boolean cancel(final LockOwner owner)
    {
        checkOwner(owner);
        owner.cancelled = true;
        return Waits.abandon(owner, LockResult.CANCELLED);
    }

    /**
     * Drops the owner's lock on {@code target}, whatever its mode, and grants the waiters that can now proceed.
     *
     * @return false when the owner held no lock on it.
     */
    public boolean release(final LockOwner owner, final LockTarget target)
    {
        checkIdle(owner);
        final LockStripe stripe = stripeOf(target);
        final LockNode node;
        stripe.lock.lock();
        try
        {
            node = stripe.heldNode(owner, target);
            if (node != null)
            {
                owner.removeHeld(node);
                stripe.release(node);
            }
        }
        finally
        {
            stripe.lock.unlock();
        }
        return node != null;
    }

    /**
     * Drops every lock of the owner (commit or rollback), first cancelling its pending request if there is one,
     * and grants exactly the waiters that can proceed after that.
     */
    public void releaseAll(final LockOwner owner)
    {
        checkOwner(owner);
        if (owner.status == LockResult.WAITING)
        {
            Waits.abandon(owner, LockResult.CANCELLED);
        }
        if (owner.status != null)
        {
            owner.collect();
        }
        LockNode node;
        while ((node = owner.lastHeld()) != null)
        {
            owner.removeHeld(node);
            final LockStripe stripe = node.stripe;
            stripe.lock.lock();
            try
            {
                stripe.release(node);
            }
            finally
            {
                stripe.lock.unlock();
            }
        }
    }

    /** @return the mode in which the owner holds {@code target}, or null when it holds no lock on it. */
    public LockMode heldMode(final LockOwner owner, final LockTarget target)
    {
        checkOwner(owner);
        final LockStripe stripe = stripeOf(target);
        stripe.lock.lock();
        try
        {
            final LockNode node = stripe.heldNode(owner, target);
            return node == null ? null : node.granted;
        }
        finally
        {
            stripe.lock.unlock();
        }
    }

    /**
     * Looks for deadlocks now and ends the wait of one victim per cycle with DEADLOCK (see
     * {@link DeadlockDetector}). Holds every stripe lock while it runs. The detector thread calls this too.
     *
     * @return the number of victims.
     */
    public int detectDeadlocks()
    {
        return detector.detect();
    }

    /**
     * The lock-wait view: one entry per waiting transaction, ordered by transaction id. Cheap: stripes without
     * waiters are skipped without locking, and the others are locked one at a time (so the view is consistent
     * per stripe, not across stripes).
     */
    public List<LockWait> waits()
    {
        return LockWaitView.of(stripes);
    }

    /** @return how many resources are locked or waited for; 0 when the table is empty. */
    public int resourceCount()
    {
        int count = 0;
        for (final LockStripe stripe : stripes)
        {
            stripe.lock.lock();
            try
            {
                count += stripe.size();
            }
            finally
            {
                stripe.lock.unlock();
            }
        }
        return count;
    }

    /**
     * Stops the detector thread (and waits for it), ends every wait with CANCELLED and refuses new requests.
     * Releasing stays possible. Idempotent.
     */
    @Override
    public void close()
    {
        closed = true;
        if (detectorThread != null)
        {
            detectorThread.close();
        }
        for (final LockStripe stripe : stripes)
        {
            stripe.lock.lock();
            try
            {
                stripe.abandonAllWaiters(LockResult.CANCELLED);
            }
            finally
            {
                stripe.lock.unlock();
            }
        }
    }

    private LockResult request(
        final LockOwner owner, final LockTarget target, final LockMode mode, final boolean mayWait)
    {
        checkIdle(owner);
        checkMode(target, mode);
        if (closed)
        {
            throw new IllegalStateException("the lock manager is closed");
        }
        final LockStripe stripe = stripeOf(target);
        final LockResult result;
        stripe.lock.lock();
        try
        {
            result = stripe.request(owner, target, mode, mayWait);
        }
        finally
        {
            stripe.lock.unlock();
        }
        if (result == LockResult.WAITING && options.deadlockDetection() == DeadlockDetection.ON_WAIT)
        {
            detector.detect();
        }
        return result;
    }

    private LockStripe stripeOf(final LockTarget target)
    {
        return stripes[(target.hash() >>> 16) & stripeMask];
    }

    private void checkOwner(final LockOwner owner)
    {
        if (owner.manager != this)
        {
            throw new IllegalArgumentException(owner + " belongs to another lock manager");
        }
    }

    private void checkIdle(final LockOwner owner)
    {
        checkOwner(owner);
        if (owner.status != null)
        {
            throw new IllegalStateException("transaction " + owner.txnId + " has a pending lock request (" +
                owner.status + "); finish it with await or poll first");
        }
    }

    private static void checkMode(final LockTarget target, final LockMode mode)
    {
        if (target.kind() == null)
        {
            throw new IllegalArgumentException("the lock target names no resource yet; set it first");
        }
        if (target.kind() != ResourceKind.KEYSPACE && !mode.isRowMode())
        {
            throw new IllegalArgumentException(
                mode + " is a keyspace mode; a " + target.kind() + " lock takes S or X (" + target + ")");
        }
    }

    private static void checkTimeout(final long timeoutNanos)
    {
        if (timeoutNanos < 0)
        {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeoutNanos + " ns");
        }
    }
}
