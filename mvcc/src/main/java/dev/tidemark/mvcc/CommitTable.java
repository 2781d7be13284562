package dev.tidemark.mvcc;

/**
 * What the page store needs to know about transactions, owned by the transaction layer: when a transaction
 * committed, and the garbage-collection horizon. Implementations are thread-safe and fast: readers call
 * {@link #commitTimestamp} for the versions they look at.
 *
 * <p>Transaction id {@link #SYSTEM_TRANSACTION} (0) is the store's own: its versions are committed at timestamp 0
 * and never asked about.
 */
public interface CommitTable
{
    /** The id of the store's own changes (the catalog), committed at timestamp 0. */
    long SYSTEM_TRANSACTION = 0;
    /** What {@link #commitTimestamp} returns for a transaction that has not committed (running or rolling back). */
    long NOT_COMMITTED = Long.MAX_VALUE;

    /**
     * @return the commit timestamp of {@code transactionId}, or {@link #NOT_COMMITTED}. A transaction that ended
     * long ago (before every live snapshot) may be reported at any timestamp at or below {@link #pruneHorizon()}.
     */
    long commitTimestamp(long transactionId);

    /**
     * @return a timestamp that every live and future snapshot reads at or above: a version committed at or below
     * it is visible to all of them, so the versions older than it can be removed
     */
    long pruneHorizon();
}
