package dev.tidemark.recovery;

import java.time.Duration;

/**
 * What restart recovery did when {@code Database.open} found the database not closed cleanly: the log it read, the
 * page changes it repeated, the transactions it rolled back, and the time of each pass. Available from
 * {@code Database.recoveryReport()} and logged at INFO.
 */
public final class RecoveryReport
{
    private final long checkpointLsn;
    private final long fromLsn;
    private final long toLsn;
    private final long recordsRead;
    private final long bytesRead;
    private final long pagesRedone;
    private final long pagesSkipped;
    private final long committedFound;
    private final int transactionsUndone;
    private final Duration analysisAndRedo;
    private final Duration redoPass;
    private final Duration undo;
    private final long maxTransactionId;
    private final int pagesReclaimed;

    RecoveryReport(final long checkpointLsn, final long fromLsn, final long toLsn, final long recordsRead,
        final long bytesRead, final long pagesRedone, final long pagesSkipped, final Duration redoPass, final long committedFound, final int transactionsUndone,
        final Duration analysisAndRedo, final Duration undo, final int pagesReclaimed, final long maxTransactionId)
    {
        this.pagesReclaimed = pagesReclaimed;
        this.maxTransactionId = maxTransactionId;
        this.checkpointLsn = checkpointLsn;
        this.pagesSkipped = pagesSkipped;
        this.redoPass = redoPass;
        this.fromLsn = fromLsn;
        this.toLsn = toLsn;
        this.recordsRead = recordsRead;
        this.bytesRead = bytesRead;
        this.pagesRedone = pagesRedone;
        this.committedFound = committedFound;
        this.transactionsUndone = transactionsUndone;
        this.analysisAndRedo = analysisAndRedo;
        this.undo = undo;
    }

    /**
     * @return the begin LSN of the checkpoint recovery started from, or 0 when it had none with tables and read the
     * whole log kept
     */
    public long checkpointLsn()
    {
        return checkpointLsn;
    }

    /**
     * @return the LSN recovery started reading at: the lowest of the checkpoint's begin record, its oldest dirty
     * page's recLSN and the first record of a writer running at the checkpoint; without a checkpoint the oldest
     * record the log kept
     */
    public long fromLsn()
    {
        return fromLsn;
    }

    /** @return the LSN of the last record found in the log */
    public long toLsn()
    {
        return toLsn;
    }

    /** @return the log records read by the analysis and redo pass */
    public long recordsRead()
    {
        return recordsRead;
    }

    /** @return the payload bytes of those records */
    public long bytesRead()
    {
        return bytesRead;
    }

    /** @return the page changes repeated (changes already on disk are skipped by the page-LSN test) */
    public long pagesRedone()
    {
        return pagesRedone;
    }

    /**
     * @return the page changes in the log read that redo did not look at, because the dirty-page table showed them
     * on disk already (no page read)
     */
    public long pagesSkipped()
    {
        return pagesSkipped;
    }

    /** @return the commit records found in the part of the log read */
    public long committedFound()
    {
        return committedFound;
    }

    /** @return the transactions that had written but neither committed nor finished rolling back: rolled back */
    public int transactionsUndone()
    {
        return transactionsUndone;
    }

    /** @return the pages freed because no tree reached them (allocated by a change that never reached the log) */
    public int pagesReclaimed()
    {
        return pagesReclaimed;
    }

    /**
     * @return the time of the analysis and redo pass reading the log and applying it to cached pages; the log read
     * divided by it is the speed of redo
     */
    public Duration redoPass()
    {
        return redoPass;
    }

    /**
     * @return the time of the analysis and redo step: opening the store for redo, the pass ({@link #redoPass()}),
     * and closing the store, which writes every page the pass changed
     */
    public Duration analysisAndRedo()
    {
        return analysisAndRedo;
    }

    /** @return the time of the undo pass */
    public Duration undo()
    {
        return undo;
    }

    /** @return the highest transaction id in the log, so that new ids start above it */
    public long maxTransactionId()
    {
        return maxTransactionId;
    }

    @Override
    public String toString()
    {
        return "recovery read LSN " + fromLsn + " to " + toLsn
            + (checkpointLsn == 0 ? " (no checkpoint tables)" : " (checkpoint at LSN " + checkpointLsn + ")") + ": "
            + recordsRead + " records (" + bytesRead + " bytes), " + pagesRedone + " page changes repeated, "
            + pagesSkipped + " ruled out by the dirty-page table, " + committedFound + " commits found, "
            + transactionsUndone + " transactions rolled back, " + pagesReclaimed + " unreachable pages freed; "
            + "analysis and redo " + analysisAndRedo.toMillis() + " ms (the pass " + redoPass.toMillis() + " ms)"
            + ", undo " + undo.toMillis() + " ms";
    }
}
