package dev.tidemark.bench.peers;

import static org.lmdbjava.ByteArrayProxy.PROXY_BA;

import java.nio.file.Path;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava with byte-array buffers ({@code ByteArrayProxy}: arrays are copied in and out of the memory
 * map): one named database ordered by LMDB's default memcmp (unsigned) comparator, an 8 GiB map, and the default
 * environment flags except {@code MDB_NOTLS} (read transactions are not tied to a thread). With the default flags
 * every write transaction is durable at commit: LMDB writes the dirty pages, fdatasyncs the data file, then writes
 * the meta page through a descriptor opened {@code O_DSYNC}. Writers take LMDB's single writer lock in turn, one
 * sync each (no group commit). Reads run in read-only transactions, snapshots. LMDB has no cache of its own and no
 * compression: reads go through the memory map and the OS page cache.
 */
final class LmdbStore implements PeerStore
{
    static final String DURABLE = "default env flags (no MDB_NOSYNC/MDB_NOMETASYNC): each write txn fsyncs at commit";

    private static final long MAP_SIZE = 8L << 30;
    /** Reader slots: a read transaction holds one while open; room for 64 threads' transactions and more. */
    private static final int MAX_READERS = 256;

    private final Env<byte[]> env;
    private final Dbi<byte[]> dbi;

    private LmdbStore(final Env<byte[]> env)
    {
        this.env = env;
        this.dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
    }

    static PeerStore open(final Path directory)
    {
        final Env<byte[]> env = Env.create(PROXY_BA)
            .setMapSize(MAP_SIZE)
            .setMaxDbs(1)
            .setMaxReaders(MAX_READERS)
            .open(directory.toFile(), EnvFlags.MDB_NOTLS);
        try
        {
            return new LmdbStore(env);
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
        try (Txn<byte[]> txn = env.txnWrite())
        {
            for (int i = 0; i < count; i++)
            {
                dbi.put(txn, keys[i], values[i]);
            }
            txn.commit();
        }
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        try (Txn<byte[]> txn = env.txnWrite())
        {
            dbi.put(txn, key, value);
            txn.commit();
        }
    }

    @Override
    public byte[] get(final byte[] key)
    {
        try (Txn<byte[]> txn = env.txnRead())
        {
            return dbi.get(txn, key);
        }
    }

    @Override
    public long scan(final byte[] start, final long limit, final EntryVisitor visitor)
    {
        try (Txn<byte[]> txn = env.txnRead(); Cursor<byte[]> cursor = dbi.openCursor(txn))
        {
            long visited = 0;
            boolean found = limit > 0 && (start == null ? cursor.first() : cursor.get(start, GetOp.MDB_SET_RANGE));
            while (found)
            {
                visitor.visit(cursor.key(), cursor.val());
                visited++;
                // no step past the last entry wanted: each step copies the next key and value out of the map
                found = visited < limit && cursor.next();
            }
            return visited;
        }
    }

    @Override
    public long scanDescending(final long limit, final EntryVisitor visitor)
    {
        try (Txn<byte[]> txn = env.txnRead(); Cursor<byte[]> cursor = dbi.openCursor(txn))
        {
            long visited = 0;
            boolean found = limit > 0 && cursor.last();
            while (found)
            {
                visitor.visit(cursor.key(), cursor.val());
                visited++;
                found = visited < limit && cursor.prev();
            }
            return visited;
        }
    }

    @Override
    public void close()
    {
        dbi.close();
        env.close();
    }
}
