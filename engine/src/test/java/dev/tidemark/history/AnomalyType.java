package dev.tidemark.history;

import dev.tidemark.IsolationLevel;

/** The anomalies the checker reports, in Adya's terms where they have one, and which level forbids each. */
public enum AnomalyType
{
    /** Dirty write: a cycle of write-write edges. */
    G0(IsolationLevel.READ_COMMITTED),
    /** Aborted read: a read saw a version written by a transaction that failed. */
    G1A(IsolationLevel.READ_COMMITTED),
    /** Intermediate read: a read saw a version its writer overwrote itself before committing. */
    G1B(IsolationLevel.READ_COMMITTED),
    /** Circular information flow: a cycle of write-write and write-read edges with at least one write-read. */
    G1C(IsolationLevel.READ_COMMITTED),
    /** Read skew: a cycle with exactly one read-write (anti-dependency) edge. */
    G_SINGLE(IsolationLevel.SNAPSHOT),
    /** Anti-dependency cycle (write skew, phantoms): a cycle with two or more read-write edges. */
    G2(IsolationLevel.SERIALIZABLE),
    /** A transaction did not see its own earlier write. */
    INTERNAL(IsolationLevel.READ_COMMITTED),
    /** A write of a committed transaction is missing from the final version order, or built on a stale list. */
    LOST_WRITE(IsolationLevel.READ_COMMITTED),
    /** A write of a failed transaction is in the final version order. */
    ABORTED_WRITE(IsolationLevel.READ_COMMITTED),
    /** A read matches no version of its key. */
    INCOMPATIBLE_READ(IsolationLevel.READ_COMMITTED),
    /** A read saw a version whose writer had not yet begun to commit when the read returned. */
    FUTURE_READ(IsolationLevel.READ_COMMITTED),
    /** A transaction missed a version whose writer's commit had returned before the transaction began. */
    STALE_READ(IsolationLevel.READ_COMMITTED),
    /** A key's final value disagrees with its final version order. */
    FINAL_STATE(IsolationLevel.READ_COMMITTED);

    private final IsolationLevel weakestForbidding;

    AnomalyType(final IsolationLevel weakestForbidding)
    {
        this.weakestForbidding = weakestForbidding;
    }

    /** @return whether a history run at {@code level} must not show this anomaly */
    public boolean forbiddenAt(final IsolationLevel level)
    {
        return level.ordinal() >= weakestForbidding.ordinal();
    }

    /** @return whether this is a dependency cycle class */
    public boolean isCycle()
    {
        return this == G0 || this == G1C || this == G_SINGLE || this == G2;
    }
}
