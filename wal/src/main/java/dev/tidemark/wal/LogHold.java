package dev.tidemark.wal;

/**
 * A hold on the log from an LSN on ({@link WriteAheadLog#hold}): while it is open, {@link WriteAheadLog#retireBelow}
 * keeps every record at or above that LSN, whatever the checkpoints ask. For modules that read the log after the
 * engine is done with it (a backup copying segments, a change feed). Close it to let the records go.
 */
public interface LogHold extends AutoCloseable
{
    /** @return the first LSN held */
    long fromLsn();

    /** Releases the hold; idempotent. */
    @Override
    void close();
}
