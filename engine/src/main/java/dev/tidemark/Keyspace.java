package dev.tidemark;

import dev.tidemark.mvcc.BTree;

/**
 * A named, ordered keyspace of a {@link Database}. Obtain it from {@link Database#keyspace(String)}; it is valid
 * until the keyspace is dropped or its database closed.
 */
public final class Keyspace
{
    private final Database database;
    private final BTree tree;
    private volatile boolean dropped;

    Keyspace(final Database database, final BTree tree)
    {
        this.database = database;
        this.tree = tree;
    }

    public String name()
    {
        return tree.name();
    }

    /** @return the keyspace's id, unique in its database */
    public long id()
    {
        return tree.id();
    }

    Database database()
    {
        return database;
    }

    BTree tree()
    {
        return tree;
    }

    boolean isDropped()
    {
        return dropped;
    }

    void markDropped()
    {
        dropped = true;
    }

    void markUndropped()
    {
        dropped = false;
    }

    @Override
    public String toString()
    {
        return "Keyspace[" + name() + (dropped ? ", dropped" : "") + "]";
    }
}
