package dev.tidemark.bench.peers;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.LockConflictException;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import com.sleepycat.je.TransactionConfig;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Berkeley DB Java Edition: a transactional environment in the store's directory (its log, lock and info files
 * included) and one transactional database with JE's default key order (unsigned bytes). Every write is a
 * transaction committed with {@code Durability.COMMIT_SYNC}: the commit waits until the log is fsynced (JE groups
 * concurrent commits into one fsync). The cache (on the Java heap) is {@link Peer#CACHE_BYTES}; JE has no
 * compression. A transaction that loses a deadlock or times out on a lock is aborted and run again. JE has no
 * snapshot reads: a get takes a read lock for its duration, and a scan is one {@code READ_COMMITTED} cursor, which
 * locks each record only while it reads it, so a scan concurrent with writers sees committed data but not one
 * point in time.
 */
final class JeStore implements PeerStore
{
    static final String DURABLE = "Durability.COMMIT_SYNC: each transaction's commit fsyncs the log (group commit)";

    private static final TransactionConfig WRITE = new TransactionConfig().setDurability(Durability.COMMIT_SYNC);

    private final Environment env;
    private final Database db;

    private JeStore(final Environment env)
    {
        this.env = env;
        final DatabaseConfig config = new DatabaseConfig();
        config.setAllowCreate(true);
        config.setTransactional(true);
        this.db = env.openDatabase(null, "kv", config);
    }

    static PeerStore open(final Path directory)
    {
        final EnvironmentConfig config = new EnvironmentConfig();
        config.setAllowCreate(true);
        config.setTransactional(true);
        config.setDurability(Durability.COMMIT_SYNC);
        config.setCacheSize(Peer.CACHE_BYTES);
        final Environment env = new Environment(directory.toFile(), config);
        try
        {
            return new JeStore(env);
        }
        catch (final RuntimeException ex)
        {
            env.close();
            throw ex;
        }
    }

    @Override
    public void writeBatch(final byte[][] keys, final byte[][] values, final int count)
    {
        while (true)
        {
            final Transaction txn = env.beginTransaction(null, WRITE);
            boolean committed = false;
            try
            {
                for (int i = 0; i < count; i++)
                {
                    db.put(txn, new DatabaseEntry(keys[i]), new DatabaseEntry(values[i]));
                }
                txn.commit();
                committed = true;
                return;
            }
            catch (final LockConflictException retry)
            {
                // a deadlock or lock timeout with a concurrent writer: abort (below) and run the transaction again
            }
            finally
            {
                if (!committed)
                {
                    txn.abort();
                }
            }
        }
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        writeBatch(new byte[][] {key}, new byte[][] {value}, 1);
    }

    @Override
    public byte[] get(final byte[] key)
    {
        final DatabaseEntry keyEntry = new DatabaseEntry(key);
        final DatabaseEntry value = new DatabaseEntry();
        while (true)
        {
            try
            {
                // JE copies the value out into an array of the entry's own
                return db.get(null, keyEntry, value, LockMode.DEFAULT) == OperationStatus.SUCCESS
                    ? value.getData()
                    : null;
            }
            catch (final LockConflictException retry)
            {
                // the read lock timed out behind a writer: read again
            }
        }
    }

    @Override
    public long scan(final byte[] start, final long limit, final EntryVisitor visitor)
    {
        return visit(start, false, limit, visitor);
    }

    @Override
    public long scanDescending(final long limit, final EntryVisitor visitor)
    {
        return visit(null, true, limit, visitor);
    }

    private long visit(final byte[] start, final boolean descending, final long limit, final EntryVisitor visitor)
    {
        long visited = 0;
        byte[] last = null;
        while (true)
        {
            try (Cursor cursor = db.openCursor(null, CursorConfig.READ_COMMITTED))
            {
                final DatabaseEntry key = new DatabaseEntry();
                final DatabaseEntry value = new DatabaseEntry();
                OperationStatus status = visited < limit
                    ? position(cursor, start, last, descending, key, value)
                    : OperationStatus.NOTFOUND;
                while (status == OperationStatus.SUCCESS)
                {
                    // JE copies each key and value out into arrays of their own; the visitor may keep them
                    last = key.getData().clone();
                    visitor.visit(key.getData(), value.getData());
                    visited++;
                    status = visited == limit
                        ? OperationStatus.NOTFOUND
                        : descending ? cursor.getPrev(key, value, null) : cursor.getNext(key, value, null);
                }
                return visited;
            }
            catch (final LockConflictException retry)
            {
                // a read lock timed out behind a writer: open a new cursor and go on after the last key visited
            }
        }
    }

    /** Moves to the first entry to visit: the start of the scan, or the entry after {@code last} on resuming. */
    private static OperationStatus position(
        final Cursor cursor,
        final byte[] start,
        final byte[] last,
        final boolean descending,
        final DatabaseEntry key,
        final DatabaseEntry value)
    {
        if (last == null)
        {
            if (descending)
            {
                return cursor.getLast(key, value, null);
            }
            if (start == null)
            {
                return cursor.getFirst(key, value, null);
            }
            key.setData(start);
            return cursor.getSearchKeyRange(key, value, null);
        }
        key.setData(last);
        final OperationStatus status = cursor.getSearchKeyRange(key, value, null);
        if (descending)
        {
            // at the first key >= last, or past the end: the entry before it, or the last entry, comes next
            return status == OperationStatus.SUCCESS
                ? cursor.getPrev(key, value, null)
                : cursor.getLast(key, value, null);
        }
        if (status == OperationStatus.SUCCESS && Arrays.equals(key.getData(), last))
        {
            return cursor.getNext(key, value, null);
        }
        return status;
    }

    @Override
    public void close()
    {
        try
        {
            db.close();
        }
        finally
        {
            env.close();
        }
    }
}
