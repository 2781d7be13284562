package dev.tidemark.mvcc;

/**
 * What a reader sees: the versions committed at or before its read timestamp, and the versions its own
 * transaction wrote. Immutable; cheap to create.
 */
public final class Snapshot
{
    /** The read timestamp that sees every committed version (read-committed reads, the newest state). */
    public static final long LATEST = Long.MAX_VALUE - 1;

    private final long readTimestamp;
    private final long ownTransactionId;

    private Snapshot(final long readTimestamp, final long ownTransactionId)
    {
        this.readTimestamp = readTimestamp;
        this.ownTransactionId = ownTransactionId;
    }

    /**
     * @param readTimestamp    versions committed at or below it are visible
     * @param ownTransactionId the reader's transaction, whose uncommitted versions it sees;
     *                         {@link CommitTable#SYSTEM_TRANSACTION} for a reader that writes nothing
     */
    public static Snapshot at(final long readTimestamp, final long ownTransactionId)
    {
        if (readTimestamp < 0 || readTimestamp > LATEST)
        {
            throw new IllegalArgumentException("read timestamp must be 0 to " + LATEST + ", was " + readTimestamp);
        }
        return new Snapshot(readTimestamp, ownTransactionId);
    }

    /** @return a snapshot of everything committed, plus the uncommitted versions of {@code ownTransactionId}. */
    public static Snapshot latest(final long ownTransactionId)
    {
        return new Snapshot(LATEST, ownTransactionId);
    }

    public long readTimestamp()
    {
        return readTimestamp;
    }

    public long ownTransactionId()
    {
        return ownTransactionId;
    }

    /** @return whether a version written by {@code writer} is visible, given the commit table. */
    boolean sees(final long writer, final CommitTable commits)
    {
        if (writer == ownTransactionId || writer == CommitTable.SYSTEM_TRANSACTION)
        {
            return true;
        }
        return commits.commitTimestamp(writer) <= readTimestamp;
    }

    @Override
    public String toString()
    {
        return "Snapshot[read at " + (readTimestamp == LATEST ? "latest" : readTimestamp) + ", own transaction "
            + ownTransactionId + "]";
    }
}
