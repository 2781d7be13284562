package dev.tidemark.lock;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of the lock-wait view ({@link LockManager#waits()}), what {@code pg_locks} shows PostgreSQL users: a
 * waiting transaction, the resource, the mode it asked for, the mode it already holds there (for an upgrade) and
 * the transactions it waits for. Immutable.
 */
public final class LockWait
{
    private final long txnId;
    private final LockResource resource;
    private final LockMode requested;
    private final LockMode held;
    private final long[] waitsFor;
    private final long waitedNanos;

    LockWait(
        final long txnId,
        final LockResource resource,
        final LockMode requested,
        final LockMode held,
        final long[] waitsFor,
        final long waitedNanos)
    {
        this.txnId = txnId;
        this.resource = resource;
        this.requested = requested;
        this.held = held;
        this.waitsFor = waitsFor;
        this.waitedNanos = waitedNanos;
    }

    public long txnId()
    {
        return txnId;
    }

    public LockResource resource()
    {
        return resource;
    }

    /** @return the mode waited for; for an upgrade, already joined with the held mode (S held + IX asked = SIX). */
    public LockMode requested()
    {
        return requested;
    }

    /** @return the mode held on the resource while waiting to upgrade it, or null for a first request. */
    public LockMode held()
    {
        return held;
    }

    public boolean isUpgrade()
    {
        return held != null;
    }

    /**
     * @return the ids of the transactions this one waits for, ascending: holders of incompatible modes and, for a
     *     first request, the waiters queued ahead of it.
     */
    public long[] waitsFor()
    {
        return waitsFor.clone();
    }

    /** @return how long the transaction had waited when the view was taken. */
    public long waitedNanos()
    {
        return waitedNanos;
    }

    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof LockWait))
        {
            return false;
        }
        final LockWait that = (LockWait)other;
        return txnId == that.txnId && resource.equals(that.resource) && requested == that.requested &&
            held == that.held && Arrays.equals(waitsFor, that.waitsFor) && waitedNanos == that.waitedNanos;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(txnId, resource, requested, held) * 31 + Arrays.hashCode(waitsFor);
    }

    @Override
    public String toString()
    {
        return "txn " + txnId + " waits for " + requested + " on " + resource +
            (held == null ? "" : " (holds " + held + ")") + ", blocked by " + Arrays.toString(waitsFor) +
            ", for " + waitedNanos / 1_000_000 + " ms";
    }
}
