package dev.tidemark;

/** A point inside a transaction to roll back to with {@link Transaction#rollbackTo}. */
public final class Savepoint
{
    private final Transaction owner;
    private final long lsn;

    Savepoint(final Transaction owner, final long lsn)
    {
        this.owner = owner;
        this.lsn = lsn;
    }

    Transaction owner()
    {
        return owner;
    }

    long lsn()
    {
        return lsn;
    }

    @Override
    public String toString()
    {
        return "Savepoint[transaction " + owner.id() + ", log position " + lsn + "]";
    }
}
