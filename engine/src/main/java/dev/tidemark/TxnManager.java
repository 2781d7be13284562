package dev.tidemark;

import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.Snapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Transaction ids, commit timestamps and the commit table the page store asks.
 *
 * <p>Ids and timestamps both come from counters that survive a clean close (the master record). A transaction
 * registers in a slot array (no allocation per begin). A read-only transaction that SSI does not track takes no id
 * at begin (it is never named in the trees, the locks or the log): it registers with an order, the first id not
 * yet given out, and takes an id only when asked for one. Where an age comparison needs "began before this point"
 * (a rolled-back writer's end, a keyspace drop), the point is a fresh id taken for it alone, which every order
 * read before it is below. Its begin and commit then cost one CAS (its slot) and no write to a counter other
 * threads write (commits and rollbacks are counted per slot).
 *
 * <p>A writer is also kept by id ({@code unsettled}) from its first write until no snapshot can need its commit
 * state any more, because the commit table must answer for it: the answer is the writer's own
 * {@link Txn#commitTimestamp} field, so a commit enters its timestamp without a map update. A commit takes the next
 * timestamp, sets it and then publishes it in timestamp order: a snapshot reads at the highest published timestamp,
 * so it never sees a later commit without an earlier one.
 *
 * <p>{@link #commitTimestamp} answers without a lookup for ids below {@code settledBelow}: every transaction below
 * it finished, and those that committed did so at or below the prune horizon. Rolled-back writers stay "not
 * committed" until every transaction that was running when they ended has ended too (their cursors may hold copies
 * of pages made before the rollback).
 *
 * <p>Thread-safe.
 */
final class TxnManager implements CommitTable
{
    static final long PENDING = -1;
    private static final long HORIZON_REFRESH_NANOS = 5_000_000L;
    /**
     * Timestamps taken but not yet visible are at most the number of threads committing at once (each waits until
     * its own is visible), so a ring of this size never wraps onto one still in use.
     */
    private static final int PUBLISHED_MASK = (1 << 16) - 1;
    private static final int PUBLISH_SPINS = 100;
    /** The most commits waiting above the horizon that a refresh walks to move {@code settledBelow}. */
    private static final int SETTLE_WALK_LIMIT = 256;
    /**
     * Longs per slot in {@code slotCounts}: 128 bytes, so that the three counters of two slots are more than a
     * 64-byte line apart however the array is aligned.
     */
    private static final int COUNTS_STRIDE = 16;
    private static final int COMMITS = 0;
    private static final int ROLLBACKS = 1;
    private static final int ENDS = 2;
    private static final VarHandle VISIBLE;

    static
    {
        try
        {
            VISIBLE = MethodHandles.lookup().findVarHandle(TxnManager.class, "visible", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AtomicLong nextId;
    private final AtomicLong clock;
    private volatile long visible;
    /** Timestamp {@code ts} at index {@code ts & PUBLISHED_MASK} once its commit set it; see publishCommit. */
    private final AtomicLongArray published = new AtomicLongArray(PUBLISHED_MASK + 1);
    private volatile Snapshot shared = Snapshot.at(0, SYSTEM_TRANSACTION);
    private final AtomicReferenceArray<Txn> slots;
    private final Set<Txn> overflow = ConcurrentHashMap.newKeySet();
    /**
     * Per slot, on cache lines no other slot's counters share: the commits, rollbacks and ends of the transactions
     * that held it. Only the holder writes them (plain read, opaque write): the slot passes from holder to holder
     * through a release store and a CAS.
     */
    private final AtomicLongArray slotCounts;
    private final AtomicLong overflowCommits = new AtomicLong();
    private final AtomicLong overflowRollbacks = new AtomicLong();
    /** Writers, running or ended, whose commit state a snapshot may still ask for. */
    private final WriterTable unsettled = new WriterTable(1 << 16);
    /** The committed writers of {@code unsettled}, in about commit order (each enters just after its commit). */
    private final ConcurrentLinkedQueue<Txn> commitOrder = new ConcurrentLinkedQueue<>();
    /** The rolled-back writers of {@code unsettled}. */
    private final ConcurrentLinkedQueue<Txn> aborted = new ConcurrentLinkedQueue<>();
    private final AtomicLong registering = new AtomicLong();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long settledBelow;
    private volatile long horizon;
    private volatile long horizonAt;

    TxnManager(final long firstId, final long lastTimestamp, final int slotCount)
    {
        this.nextId = new AtomicLong(firstId);
        this.clock = new AtomicLong(lastTimestamp);
        this.visible = lastTimestamp;
        this.slots = new AtomicReferenceArray<>(slotCount);
        this.slotCounts = new AtomicLongArray(slotCount * COUNTS_STRIDE);
        this.settledBelow = firstId;
        this.horizon = lastTimestamp;
        this.horizonAt = System.nanoTime();
    }

    /** @return the id the next transaction gets (what the master record keeps) */
    long nextId()
    {
        return nextId.get();
    }

    /**
     * @return a snapshot at {@code readTimestamp} owned by no transaction, for read-only transactions: the one
     * made for the newest timestamp asked for is kept, so that read-only transactions allocate none while no
     * commit intervenes
     */
    Snapshot sharedSnapshot(final long readTimestamp)
    {
        final Snapshot cached = shared;
        if (cached.readTimestamp() == readTimestamp)
        {
            return cached;
        }
        final Snapshot made = Snapshot.at(readTimestamp, SYSTEM_TRANSACTION);
        if (readTimestamp > cached.readTimestamp())
        {
            shared = made;
        }
        return made;
    }

    /** @return the newest published commit timestamp */
    long visibleTimestamp()
    {
        return visible;
    }

    /** @return a new transaction id, for a read-only transaction asked for its id */
    long newId()
    {
        return nextId.getAndIncrement();
    }

    /**
     * Takes an id for no transaction. @return a fence: the id and order of every transaction registered before the
     * call are below it, those of every transaction that begins after it are at or above it
     */
    long fence()
    {
        return nextId.incrementAndGet();
    }

    /**
     * Gives {@code txn} an id (or, read-only, an order), registers it and then gives it the newest published
     * timestamp as its read timestamp (so it sees every commit that returned before it began). The registration
     * ends with a full fence (the slot CAS), so the timestamp is read after the slot is visible: a refresh that
     * does not find the transaction read {@code visible} before it did, and one that finds it still without a read
     * timestamp counts the horizon already published instead, which no later read timestamp is below.
     *
     * <p>A writer counts itself in {@code registering} between taking its id and appearing in a slot, so that a
     * refresh that cannot see it yet does not move {@code settledBelow} past an id whose versions are still to come.
     * A read-only transaction without an id writes no versions and needs no such care: a refresh that misses it
     * computed its horizon from a timestamp no newer than the one it reads here, and it cannot hold a page copy with
     * the versions of a writer that had rolled back before it registered (see {@link #endAborted}).
     *
     * @return the read timestamp
     */
    long begin(final Txn txn)
    {
        if (txn.needsIdAtBegin())
        {
            registering.incrementAndGet();
            try
            {
                txn.assignId(nextId.getAndIncrement());
                claimSlot(txn);
            }
            finally
            {
                registering.decrementAndGet();
            }
        }
        else
        {
            txn.order = nextId.get();
            claimSlot(txn);
        }
        final long readTimestamp = visible;
        txn.setReadTimestamp(readTimestamp);
        return readTimestamp;
    }

    /**
     * Registers {@code txn} in a free slot, or in the overflow set when none is free, and sets {@code txn.slot}
     * before publishing it (another thread that finds the transaction, a closing database, reads the slot).
     */
    private void claimSlot(final Txn txn)
    {
        final int length = slots.length();
        final int start = (int)(Thread.currentThread().getId() * 0x9E3779B9L >>> 8) & (length - 1);
        for (int i = 0; i < length; i++)
        {
            final int slot = (start + i) & (length - 1);
            if (slots.get(slot) == null)
            {
                txn.slot = slot;
                if (slots.compareAndSet(slot, null, txn))
                {
                    return;
                }
            }
        }
        txn.slot = -1;
        overflow.add(txn);
        // the fence a slot CAS gives: the read timestamp is read after the registration is visible
        VarHandle.fullFence();
    }

    /** Registers {@code txn} as a writer: from now on its versions may be in the trees. */
    void becameWriter(final Txn txn)
    {
        unsettled.add(txn);
    }

    /**
     * Enters a commit timestamp for {@code txn} in the commit table and publishes it, in timestamp order: a
     * snapshot taken at the published timestamp finds every commit at or below it in the table. Returns once the
     * timestamp is visible, so a transaction that begins after the commit returned sees it.
     *
     * @return the timestamp
     */
    long publishCommit(final Txn txn)
    {
        final long ts = clock.incrementAndGet();
        txn.commitTimestamp = ts;
        published.set((int)ts & PUBLISHED_MASK, ts);
        // no lock: every committer moves visible over each timestamp whose commit set it, in order, and returns
        // once its own is visible (a lock here convoys when its holder is descheduled among many committers)
        int spins = 0;
        while (true)
        {
            final long current = visible;
            if (current >= ts)
            {
                break;
            }
            if (published.get((int)(current + 1) & PUBLISHED_MASK) == current + 1)
            {
                VISIBLE.compareAndSet(this, current, current + 1);
            }
            else if (++spins < PUBLISH_SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield(); // an earlier committer between taking its timestamp and setting it
            }
        }
        commitOrder.add(txn);
        return ts;
    }

    /** Ends a committed transaction, a read-only one included, and counts the commit. */
    void endCommitted(final Txn txn)
    {
        count(txn, COMMITS, overflowCommits);
        unregister(txn);
    }

    /**
     * Ends a rolled-back transaction; a writer's versions are gone from the trees by now. A rolled-back writer
     * stays "not committed" until every transaction running when it ended has ended: its {@code abortedBefore} is
     * a {@link #fence}, above the order of each of them, even a read-only one whose registration a concurrent
     * refresh missed (that refresh read the first id not given out before the fence was taken).
     */
    void endAborted(final Txn txn)
    {
        if (txn.wrote())
        {
            txn.abortedBefore = fence();
            aborted.add(txn);
        }
        count(txn, ROLLBACKS, overflowRollbacks);
        unregister(txn);
    }

    /** @return the commits counted so far */
    long committedCount()
    {
        return sum(COMMITS, overflowCommits);
    }

    /** @return the rollbacks (aborts included) counted so far */
    long rolledBackCount()
    {
        return sum(ROLLBACKS, overflowRollbacks);
    }

    private void count(final Txn txn, final int counter, final AtomicLong overflowCounter)
    {
        if (txn.slot >= 0)
        {
            bump(txn.slot * COUNTS_STRIDE + counter);
        }
        else
        {
            overflowCounter.incrementAndGet();
        }
    }

    private long sum(final int counter, final AtomicLong overflowCounter)
    {
        long count = overflowCounter.get();
        for (int i = 0; i < slots.length(); i++)
        {
            count += slotCounts.getOpaque(i * COUNTS_STRIDE + counter);
        }
        return count;
    }

    private long bump(final int index)
    {
        final long count = slotCounts.getPlain(index) + 1;
        slotCounts.setOpaque(index, count);
        return count;
    }

    private void unregister(final Txn txn)
    {
        // look at the clock only every 16th end of a slot's holders (an overflowing transaction always looks);
        // counted while the slot is still held
        final boolean look = txn.slot < 0 || (bump(txn.slot * COUNTS_STRIDE + ENDS) & 15) == 0;
        unlist(txn);
        if (look)
        {
            maybeRefresh();
        }
    }

    /**
     * Refreshes the horizon when it is older than {@value #HORIZON_REFRESH_NANOS} ns and no other thread is at it:
     * under many committing threads one refreshes and the others go on with a horizon a few milliseconds old, which
     * is only lower (more conservative) than a fresh one.
     */
    private void maybeRefresh()
    {
        if (System.nanoTime() - horizonAt > HORIZON_REFRESH_NANOS && refreshing.compareAndSet(false, true))
        {
            try
            {
                if (System.nanoTime() - horizonAt > HORIZON_REFRESH_NANOS)
                {
                    refresh();
                }
            }
            finally
            {
                refreshing.set(false);
            }
        }
    }

    private void unlist(final Txn txn)
    {
        if (txn.wrote())
        {
            txn.ended = true;
        }
        if (txn.slot >= 0)
        {
            // a release store, no fence: a refresh that still sees the transaction for a moment is only more
            // careful
            slots.lazySet(txn.slot, null);
        }
        else
        {
            overflow.remove(txn);
        }
    }

    @Override
    public long commitTimestamp(final long transactionId)
    {
        if (transactionId < settledBelow)
        {
            return 0;
        }
        final Txn writer = unsettled.get(transactionId);
        // not there: never a writer, or settled (committed at or below every snapshot, or rolled back long ago)
        return writer == null ? 0 : writer.commitTimestamp;
    }

    @Override
    public long pruneHorizon()
    {
        maybeRefresh();
        return horizon;
    }

    /**
     * Recomputes the horizon (the lowest read timestamp of a running transaction, or the newest published one; a
     * transaction still taking its read timestamp counts as the horizon already published, see {@link #begin}),
     * forgets commit-table entries at or below it and aborted writers no running transaction can have seen, and
     * moves {@code settledBelow} up.
     */
    synchronized void refresh()
    {
        final long firstUnassigned = nextId.get();
        final boolean quiet = registering.get() == 0;
        final long published = horizon;
        long low = visible;
        long minId = firstUnassigned;
        for (int i = 0; i < slots.length(); i++)
        {
            final Txn txn = slots.get(i);
            if (txn != null)
            {
                low = Math.min(low, readTimestamp(txn, published));
                minId = Math.min(minId, txn.order);
            }
        }
        for (final Txn txn : overflow)
        {
            low = Math.min(low, readTimestamp(txn, published));
            minId = Math.min(minId, txn.order);
        }
        final long h = low;
        final long oldestRunning = minId;
        long settled = oldestRunning;
        for (final Iterator<Txn> it = aborted.iterator(); it.hasNext();)
        {
            final Txn txn = it.next();
            if (oldestRunning >= txn.abortedBefore)
            {
                unsettled.remove(txn);
                it.remove();
            }
            else
            {
                settled = Math.min(settled, txn.id());
            }
        }
        // in commit order: forget what every snapshot sees, up to the first commit still ending (only this
        // synchronized method removes from the queue; a commit entering a little out of order waits for a later
        // refresh)
        for (Txn first = commitOrder.peek(); first != null && first.commitTimestamp <= h && first.ended;
            first = commitOrder.peek())
        {
            unsettled.remove(commitOrder.poll());
        }
        // settledBelow only saves lookups (a settled writer is no longer in the table, which answers 0 as well), so
        // when many commits wait above the horizon (a long or descheduled reader holds it back) it is left where it
        // is rather than found by walking them all on every refresh
        boolean complete = true;
        int walked = 0;
        for (final Txn txn : commitOrder)
        {
            if (++walked > SETTLE_WALK_LIMIT)
            {
                complete = false;
                break;
            }
            settled = Math.min(settled, txn.id());
        }
        horizon = Math.max(horizon, h);
        if (quiet && complete)
        {
            settledBelow = Math.max(settledBelow, settled);
        }
        horizonAt = System.nanoTime();
    }

    private static long readTimestamp(final Txn txn, final long publishedHorizon)
    {
        final long readTimestamp = txn.readTimestampOrPending();
        return readTimestamp == PENDING ? publishedHorizon : readTimestamp;
    }

    /** @return the number of running transactions */
    int activeCount()
    {
        int count = overflow.size();
        for (int i = 0; i < slots.length(); i++)
        {
            count += slots.get(i) != null ? 1 : 0;
        }
        return count;
    }

    /**
     * @return the active-transaction table of a checkpoint: every writer that has not ended, by id, to the lower
     * bound of its first LSN. A writer registers before it appends its first record, so a checkpoint that reads
     * this after appending its begin record finds every writer with a record below the begin record; a writer
     * ends only after its commit or abort record was appended, which the checkpoint's forced end record follows in
     * the log.
     */
    java.util.Map<Long, Long> writersFirstLsn()
    {
        final java.util.Map<Long, Long> writers = new java.util.TreeMap<>();
        unsettled.forEach(txn ->
        {
            final long first = txn.firstLsn();
            if (first > 0 && !txn.ended)
            {
                writers.put(txn.id(), first);
            }
        });
        return writers;
    }

    /** @return the running transactions, for a closing database to roll back */
    java.util.List<Txn> running()
    {
        final java.util.List<Txn> all = new java.util.ArrayList<>(overflow);
        for (int i = 0; i < slots.length(); i++)
        {
            final Txn txn = slots.get(i);
            if (txn != null)
            {
                all.add(txn);
            }
        }
        return all;
    }

    /**
     * @return whether a transaction that began before {@code id} was given out is still running (its order is
     * below {@code id})
     */
    boolean anyRunningBelow(final long id)
    {
        for (int i = 0; i < slots.length(); i++)
        {
            final Txn txn = slots.get(i);
            if (txn != null && txn.order < id)
            {
                return true;
            }
        }
        for (final Txn txn : overflow)
        {
            if (txn.order < id)
            {
                return true;
            }
        }
        return false;
    }
}
