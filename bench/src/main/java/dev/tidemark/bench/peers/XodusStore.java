package dev.tidemark.bench.peers;

import java.nio.file.Path;
import java.util.Arrays;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;

/**
 * JetBrains Xodus: one environment in the store's directory and one B+tree store {@code WITHOUT_DUPLICATES}, whose
 * keys Xodus orders as unsigned bytes. Every write is a transaction run by {@code executeInTransaction}, which runs
 * it again when it loses a conflict with a concurrent one; with {@code setLogDurableWrite(true)} the flush at commit
 * fsyncs the log before it returns. Reads and scans run in read-only transactions, snapshots of the environment
 * taken when they begin. The log cache (on the Java heap) is {@link Peer#CACHE_BYTES} ({@code setMemoryUsage});
 * Xodus has no compression of keys or values. Xodus hands out views of its own buffers, so keys and values read are
 * copied.
 */
final class XodusStore implements PeerStore
{
    static final String DURABLE = "EnvironmentConfig.setLogDurableWrite(true): each transaction's flush fsyncs the log";

    private final Environment env;
    private final Store store;

    private XodusStore(final Environment env)
    {
        this.env = env;
        this.store = env.computeInTransaction(txn -> env.openStore("kv", StoreConfig.WITHOUT_DUPLICATES, txn));
    }

    static PeerStore open(final Path directory)
    {
        final EnvironmentConfig config = new EnvironmentConfig()
            .setLogDurableWrite(true)
            .setMemoryUsage(Peer.CACHE_BYTES);
        final Environment env = Environments.newInstance(directory.toFile(), config);
        try
        {
            return new XodusStore(env);
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
        env.executeInTransaction(txn ->
        {
            for (int i = 0; i < count; i++)
            {
                store.put(txn, new ArrayByteIterable(keys[i]), new ArrayByteIterable(values[i]));
            }
        });
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        env.executeInTransaction(txn -> store.put(txn, new ArrayByteIterable(key), new ArrayByteIterable(value)));
    }

    @Override
    public byte[] get(final byte[] key)
    {
        return env.computeInReadonlyTransaction(txn ->
        {
            final ByteIterable value = store.get(txn, new ArrayByteIterable(key));
            return value == null ? null : copy(value);
        });
    }

    @Override
    public long scan(final byte[] start, final long limit, final EntryVisitor visitor)
    {
        return env.computeInReadonlyTransaction(txn ->
        {
            try (Cursor cursor = store.openCursor(txn))
            {
                long visited = 0;
                final boolean first = start == null
                    ? cursor.getNext()
                    : cursor.getSearchKeyRange(new ArrayByteIterable(start)) != null;
                boolean found = limit > 0 && first;
                while (found)
                {
                    visitor.visit(copy(cursor.getKey()), copy(cursor.getValue()));
                    visited++;
                    found = visited < limit && cursor.getNext();
                }
                return visited;
            }
        });
    }

    @Override
    public long scanDescending(final long limit, final EntryVisitor visitor)
    {
        return env.computeInReadonlyTransaction(txn ->
        {
            try (Cursor cursor = store.openCursor(txn))
            {
                long visited = 0;
                boolean found = limit > 0 && cursor.getLast();
                while (found)
                {
                    visitor.visit(copy(cursor.getKey()), copy(cursor.getValue()));
                    visited++;
                    found = visited < limit && cursor.getPrev();
                }
                return visited;
            }
        });
    }

    /** @return the bytes of {@code bytes} in an array of their own ({@code getBytesUnsafe} may be shared) */
    private static byte[] copy(final ByteIterable bytes)
    {
        return Arrays.copyOf(bytes.getBytesUnsafe(), bytes.getLength());
    }

    @Override
    public void close()
    {
        env.close();
    }
}
