package dev.tidemark.mvcc;

import dev.tidemark.wal.WriteAheadLog;

/**
 * What the buffer pool needs from the log to keep the WAL rule: a page reaches disk only when the log is durable
 * up to the page's LSN. The pool compares LSNs and waits; it shares no monitor with the log.
 *
 * <p>Implementations are thread-safe: the pool calls them from the page writer and from any thread that evicts or
 * checkpoints.
 */
public interface LogForce
{
    /** @return the highest LSN known durable; every record at or below it is on stable storage. */
    long durableLsn();

    /** Returns once {@link #durableLsn()} is at least {@code lsn}, forcing the log if needed. */
    void awaitDurable(long lsn);

    /** @return the adaptor that keeps the WAL rule against {@code wal}. */
    static LogForce of(final WriteAheadLog wal)
    {
        return new LogForce()
        {
            @Override
            public long durableLsn()
            {
                return wal.durableLsn();
            }

            @Override
            public void awaitDurable(final long lsn)
            {
                wal.awaitDurable(lsn);
            }
        };
    }
}
