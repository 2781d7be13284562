package dev.tidemark.bench.peers;

import java.nio.file.Path;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;

/**
 * H2's MVStore on one file: a plain {@code MVMap<byte[], byte[]>} with {@code ByteArrayDataType} keys (unsigned
 * order, {@code Arrays.compareUnsigned}) and values, a page cache of {@link Peer#CACHE_BYTES}, no compression (the
 * default), and auto-commit disabled, so that no background thread writes. Every write call ends with
 * {@code MVStore.commit()}, which writes every change made so far to the map (by any thread) as a new chunk, then
 * {@code MVStore.sync()}, which forces the file ({@code FileChannel.force(true)}); the call returns after the force.
 * A plain map has no transactions: writes are visible to readers as soon as they are made, one entry at a time, and
 * a concurrent writer's commit may store part of a batch before the batch's own commit. Reads and scans see the
 * map's current root, an immutable snapshot; the map keeps the arrays it is given and hands out its own, so both
 * are copied.
 */
final class H2Store implements PeerStore
{
    static final String DURABLE =
        "MVStore.commit() then MVStore.sync() (FileChannel.force) per call; a commit stores all threads' writes so far";

    private final MVStore store;
    private final MVMap<byte[], byte[]> map;

    private H2Store(final MVStore store)
    {
        this.store = store;
        this.map = store.openMap("kv", new MVMap.Builder<byte[], byte[]>()
            .keyType(ByteArrayDataType.INSTANCE)
            .valueType(ByteArrayDataType.INSTANCE));
    }

    static PeerStore open(final Path directory)
    {
        final MVStore store = new MVStore.Builder()
            .fileName(directory.resolve("kv.mv.db").toString())
            .cacheSize((int)(Peer.CACHE_BYTES >> 20))
            .autoCommitDisabled()
            .open();
        try
        {
            return new H2Store(store);
        }
        catch (final RuntimeException ex)
        {
            store.closeImmediately();
            throw ex;
        }
    }

    @Override
    public void writeBatch(final byte[][] keys, final byte[][] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            map.put(keys[i].clone(), values[i].clone());
        }
        commit();
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        map.put(key.clone(), value.clone());
        commit();
    }

    private void commit()
    {
        // stores nothing when a concurrent commit has already stored these writes; the force covers that chunk too
        store.commit();
        store.sync();
    }

    @Override
    public byte[] get(final byte[] key)
    {
        final byte[] value = map.get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public long scan(final byte[] start, final long limit, final EntryVisitor visitor)
    {
        return visit(map.cursor(start), limit, visitor);
    }

    @Override
    public long scanDescending(final long limit, final EntryVisitor visitor)
    {
        return visit(map.cursor(null, null, true), limit, visitor);
    }

    private static long visit(final Cursor<byte[], byte[]> cursor, final long limit, final EntryVisitor visitor)
    {
        long visited = 0;
        while (visited < limit && cursor.hasNext())
        {
            final byte[] key = cursor.next();
            visitor.visit(key.clone(), cursor.getValue().clone());
            visited++;
        }
        return visited;
    }

    @Override
    public void close()
    {
        store.close();
    }
}
