package dev.tidemark.mvcc;

/**
 * A writer's log chain: its transaction id and the LSN of the last record it wrote, which the next record points
 * back to (prev LSN) so that rollback and recovery walk a transaction's records backwards. The transaction layer
 * keeps one per writing transaction. Not thread-safe: one thread writes through it at a time.
 */
public final class WriteTxn
{
    private final long id;
    private long lastLsn;
    private long firstUpdaterWinsAt = -1;

    /** @param id the transaction id, above {@link CommitTable#SYSTEM_TRANSACTION} */
    public WriteTxn(final long id)
    {
        if (id <= CommitTable.SYSTEM_TRANSACTION)
        {
            throw new IllegalArgumentException("transaction ids start at 1, was " + id);
        }
        this.id = id;
    }

    private WriteTxn(final long id, final boolean system)
    {
        this.id = id;
    }

    /**
     * The log chain of a transaction found in the log by restart recovery, to roll it back
     * ({@link MvccStore#rollback(WriteTxn, long)}) from its last record, {@code lastLsn}.
     */
    public static WriteTxn recovered(final long id, final long lastLsn)
    {
        final WriteTxn txn = new WriteTxn(id);
        txn.lastLsn = lastLsn;
        return txn;
    }

    static WriteTxn system()
    {
        return new WriteTxn(CommitTable.SYSTEM_TRANSACTION, true);
    }

    public long id()
    {
        return id;
    }

    /** @return the LSN of the last record of this transaction, 0 before the first; a savepoint is this value. */
    public long lastLsn()
    {
        return lastLsn;
    }

    void lastLsn(final long lsn)
    {
        lastLsn = lsn;
    }

    /**
     * From now on a write of this transaction fails with {@link WriteConflictException}, writing nothing, when the
     * newest version of its key was written by another transaction that committed after {@code readTimestamp}
     * (snapshot isolation's first-updater-wins). The check runs under the leaf's latch, in the descent that
     * writes.
     */
    public void firstUpdaterWins(final long readTimestamp)
    {
        if (readTimestamp < 0)
        {
            throw new IllegalArgumentException("read timestamp must not be negative, was " + readTimestamp);
        }
        firstUpdaterWinsAt = readTimestamp;
    }

    /** @return the read timestamp of {@link #firstUpdaterWins(long)}, or -1 when writes are not checked */
    long firstUpdaterWinsAt()
    {
        return firstUpdaterWinsAt;
    }

    @Override
    public String toString()
    {
        return "WriteTxn[" + id + ", last LSN " + lastLsn + "]";
    }
}
