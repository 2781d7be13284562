package dev.tidemark.testkit;

import dev.tidemark.Database;
import dev.tidemark.Durability;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionOptions;
import dev.tidemark.testkit.history.KvHistory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Begins the recorded transactions of a {@link Workload}: each is a {@link Transaction} of the database that
 * also notes its puts and deletes (and forgets those a {@code rollbackTo} undid), marks itself committing before
 * its commit is asked for and acknowledged when a commit under {@link Durability#SYNC} returned. A commit under
 * ASYNC or NONE, and a commit that threw, stay in doubt: the recovered state may hold all of it or nothing of it.
 */
public final class Recorder
{
    private final Database db;
    private final Durability defaultDurability;
    private final KvHistory history = new KvHistory();
    private final Set<String> keyspaces = new LinkedHashSet<>();

    Recorder(final Database db, final Durability defaultDurability)
    {
        this.db = db;
        this.defaultDurability = defaultDurability;
    }

    /** @return a recorded transaction with the database's default options */
    public Transaction begin()
    {
        return new RecordedTransaction(this, db.begin(), defaultDurability);
    }

    /** @return a recorded transaction with {@code options} */
    public Transaction begin(final TransactionOptions options)
    {
        Objects.requireNonNull(options, "options");
        return new RecordedTransaction(this, db.begin(options),
            options.durability() != null ? options.durability() : defaultDurability);
    }

    KvHistory.Txn beginRecord()
    {
        synchronized (history)
        {
            return history.begin();
        }
    }

    /** The history key of a key of a keyspace: the name's length, the name, the key. */
    byte[] historyKey(final String keyspace, final byte[] key)
    {
        synchronized (keyspaces)
        {
            keyspaces.add(keyspace);
        }
        final byte[] name = keyspace.getBytes(StandardCharsets.UTF_8);
        final byte[] joined = new byte[2 + name.length + key.length];
        joined[0] = (byte)(name.length >>> 8);
        joined[1] = (byte)name.length;
        System.arraycopy(name, 0, joined, 2, name.length);
        System.arraycopy(key, 0, joined, 2 + name.length, key.length);
        return joined;
    }

    KvHistory history()
    {
        return history;
    }

    Set<String> keyspaces()
    {
        synchronized (keyspaces)
        {
            return new LinkedHashSet<>(keyspaces);
        }
    }
}
