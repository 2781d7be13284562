package dev.tidemark.bench.peers;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * MapDB: one file opened with {@code transactionEnable()} (a write-ahead log) through a {@code FileChannel}
 * ({@code fileChannelEnable()}, not memory mapped) holding one {@code BTreeMap<byte[], byte[]>} with
 * {@code Serializer.BYTE_ARRAY} keys and values, which compares keys as unsigned bytes. Every write call ends with
 * {@code DB.commit()}, which is global to the database: it writes and fsyncs the log, copies it into the file,
 * fsyncs the file, and so makes durable every change made so far by any thread. The map has no transactions of its
 * own: writes are visible to readers as soon as they are made, one entry at a time, and a concurrent writer's commit
 * may make part of a batch durable before the batch's own commit; scans are iterators over the live tree, not
 * snapshots. MapDB has no cache (nodes are read from the file, through the OS page cache, and deserialized on every
 * access, so the arrays it returns are its callers' own) and no compression by default.
 *
 * <p>MapDB 3.1's commit takes the write lock of every store segment by trying each and, when one is held, releasing
 * them all and sleeping 0.1 ms before trying again; readers and writers that keep some segment locked (as concurrent
 * gets, scans and puts do) starve it indefinitely. So the adapter puts MapDB's operations under one fair read-write
 * lock: gets, scans (each for its whole length) and puts share it, a commit takes it alone, and a waiting commit
 * holds back the operations that arrive after it. A commit blocks every reader and writer in MapDB too (it holds all
 * segment locks); the lock only makes it wait its turn instead of indefinitely.
 */
final class MapDbStore implements PeerStore
{
    static final String DURABLE =
        "transactionEnable(), DB.commit() per call: fsyncs the WAL and the file; commits all threads' writes so far";

    private final DB db;
    private final BTreeMap<byte[], byte[]> map;
    private final Lock shared;
    private final Lock exclusive;

    private MapDbStore(final DB db)
    {
        this.db = db;
        this.map = db.treeMap("kv", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
        final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
        this.shared = gate.readLock();
        this.exclusive = gate.writeLock();
    }

    static PeerStore open(final Path directory)
    {
        final DB db = DBMaker.fileDB(directory.resolve("kv.mapdb").toFile())
            .fileChannelEnable()
            .transactionEnable()
            .make();
        try
        {
            final MapDbStore store = new MapDbStore(db);
            db.commit();
            return store;
        }
        catch (final RuntimeException ex)
        {
            db.close();
            throw ex;
        }
    }

    @Override
    public void writeBatch(final byte[][] keys, final byte[][] values, final int count)
    {
        shared.lock();
        try
        {
            for (int i = 0; i < count; i++)
            {
                map.put(keys[i], values[i]);
            }
        }
        finally
        {
            shared.unlock();
        }
        commit();
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        shared.lock();
        try
        {
            map.put(key, value);
        }
        finally
        {
            shared.unlock();
        }
        commit();
    }

    private void commit()
    {
        exclusive.lock();
        try
        {
            db.commit();
        }
        finally
        {
            exclusive.unlock();
        }
    }

    @Override
    public byte[] get(final byte[] key)
    {
        shared.lock();
        try
        {
            return map.get(key);
        }
        finally
        {
            shared.unlock();
        }
    }

    @Override
    public long scan(final byte[] start, final long limit, final EntryVisitor visitor)
    {
        shared.lock();
        try
        {
            return visit(start == null ? map.entryIterator() : map.entryIterator(start, true, null, false), limit,
                visitor);
        }
        finally
        {
            shared.unlock();
        }
    }

    @Override
    public long scanDescending(final long limit, final EntryVisitor visitor)
    {
        shared.lock();
        try
        {
            return visit(map.descendingEntryIterator(), limit, visitor);
        }
        finally
        {
            shared.unlock();
        }
    }

    private static long visit(
        final Iterator<Map.Entry<byte[], byte[]>> iterator, final long limit, final EntryVisitor visitor)
    {
        long visited = 0;
        while (visited < limit && iterator.hasNext())
        {
            final Map.Entry<byte[], byte[]> entry = iterator.next();
            visitor.visit(entry.getKey(), entry.getValue());
            visited++;
        }
        return visited;
    }

    @Override
    public void close()
    {
        db.close();
    }
}
