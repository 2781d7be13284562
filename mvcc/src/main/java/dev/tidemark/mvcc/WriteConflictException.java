package dev.tidemark.mvcc;

import dev.tidemark.TidemarkException;

/**
 * A write refused under first-updater-wins ({@link WriteTxn#firstUpdaterWins(long)}): the newest version of the
 * key was written by another transaction that committed after the writer's snapshot. Nothing was written; the
 * transaction layer turns this into its own serialization failure.
 */
public class WriteConflictException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    private final long newerWriter;

    public WriteConflictException(final String message, final long newerWriter)
    {
        super(message);
        this.newerWriter = newerWriter;
    }

    /** @return the id of the transaction whose committed version is newer than the writer's snapshot */
    public long newerWriter()
    {
        return newerWriter;
    }
}
