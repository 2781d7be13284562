package dev.tidemark;

/** A snapshot of a database's counters, from {@link Database#stats()}. */
public final class DatabaseStats
{
    private final int keyspaces;
    private final int activeTransactions;
    private final long committed;
    private final long rolledBack;
    private final long serializationFailures;
    private final long deadlocks;
    private final long lockTimeouts;
    private final long durableLsn;
    private final long pages;
    private final long freePages;
    private final int cachePages;

    DatabaseStats(final int keyspaces, final int activeTransactions, final long[] counters, final long durableLsn,
        final long pages, final long freePages, final int cachePages)
    {
        this.keyspaces = keyspaces;
        this.activeTransactions = activeTransactions;
        this.committed = counters[0];
        this.rolledBack = counters[1];
        this.serializationFailures = counters[2];
        this.deadlocks = counters[3];
        this.lockTimeouts = counters[4];
        this.durableLsn = durableLsn;
        this.pages = pages;
        this.freePages = freePages;
        this.cachePages = cachePages;
    }

    public int keyspaces()
    {
        return keyspaces;
    }

    public int activeTransactions()
    {
        return activeTransactions;
    }

    /** @return transactions committed since open (read-only ones included) */
    public long committed()
    {
        return committed;
    }

    /** @return transactions rolled back since open, aborted ones included */
    public long rolledBack()
    {
        return rolledBack;
    }

    public long serializationFailures()
    {
        return serializationFailures;
    }

    public long deadlocks()
    {
        return deadlocks;
    }

    public long lockTimeouts()
    {
        return lockTimeouts;
    }

    /** @return the log position up to which everything is on stable storage */
    public long durableLsn()
    {
        return durableLsn;
    }

    /** @return the pages of the data file */
    public long pages()
    {
        return pages;
    }

    public long freePages()
    {
        return freePages;
    }

    /** @return the pages the cache holds at most */
    public int cachePages()
    {
        return cachePages;
    }

    @Override
    public String toString()
    {
        return "keyspaces " + keyspaces + ", active transactions " + activeTransactions + ", committed " + committed
            + ", rolled back " + rolledBack + " (serialization failures " + serializationFailures + ", deadlocks "
            + deadlocks + ", lock timeouts " + lockTimeouts + "), durable LSN " + durableLsn + ", pages " + pages
            + " (" + freePages + " free), cache " + cachePages + " pages";
    }
}
