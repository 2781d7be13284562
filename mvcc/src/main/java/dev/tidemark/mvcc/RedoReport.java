package dev.tidemark.mvcc;

import java.util.Collections;
import java.util.Map;

/**
 * What a restart redo pass ({@link MvccStore#redo}) did, and what the transaction layer's analysis needs from the
 * page operations it read: the last record (update or compensation) of every transaction that wrote.
 */
public final class RedoReport
{
    private final long fromLsn;
    private final long toLsn;
    private final long records;
    private final long bytes;
    private final long pagesRedone;
    private final long pagesSkipped;
    private final long maxTransactionId;
    private final Map<Long, Long> lastLsnByTransaction;
    private final long passNanos;

    RedoReport(final long fromLsn, final long toLsn, final long records, final long bytes, final long pagesRedone,
        final long pagesSkipped, final long maxTransactionId, final Map<Long, Long> lastLsnByTransaction,
        final long passNanos)
    {
        this.passNanos = passNanos;
        this.fromLsn = fromLsn;
        this.toLsn = toLsn;
        this.records = records;
        this.bytes = bytes;
        this.pagesRedone = pagesRedone;
        this.pagesSkipped = pagesSkipped;
        this.maxTransactionId = maxTransactionId;
        this.lastLsnByTransaction = Collections.unmodifiableMap(lastLsnByTransaction);
    }

    /** @return the LSN the pass started at */
    public long fromLsn()
    {
        return fromLsn;
    }

    /** @return the LSN of the last record read, or 0 when none */
    public long toLsn()
    {
        return toLsn;
    }

    /** @return the log records read, of every type */
    public long records()
    {
        return records;
    }

    /** @return the payload bytes of the records read */
    public long bytes()
    {
        return bytes;
    }

    /** @return the page changes applied (a change skipped by the page-LSN test is not counted) */
    public long pagesRedone()
    {
        return pagesRedone;
    }

    /** @return the page changes not looked at because the {@link RedoScope} ruled them out (no page read) */
    public long pagesSkipped()
    {
        return pagesSkipped;
    }

    /** @return the time of the pass itself: reading the log and applying it to the pages (cached, not written) */
    public java.time.Duration passTime()
    {
        return java.time.Duration.ofNanos(passNanos);
    }

    /** @return the highest transaction id in a page operation, or 0 */
    public long maxTransactionId()
    {
        return maxTransactionId;
    }

    /** @return transaction id to the LSN of its last update or compensation record */
    public Map<Long, Long> lastLsnByTransaction()
    {
        return lastLsnByTransaction;
    }

    @Override
    public String toString()
    {
        return "redo from LSN " + fromLsn + " to " + toLsn + ": " + records + " records (" + bytes + " bytes), "
            + pagesRedone + " page changes applied, " + pagesSkipped + " ruled out by the dirty-page table, "
            + lastLsnByTransaction.size() + " writing transactions";
    }
}
