package dev.tidemark.bench.peers;

import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.DatabaseOptions;
import dev.tidemark.Durability;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionAbortedException;
import dev.tidemark.TransactionOptions;
import java.nio.file.Path;

/** Tidemark through its public API: one keyspace, SNAPSHOT transactions, SYNC commits, read-only reads. */
final class TidemarkStore implements PeerStore
{
    static final String DURABLE = "Durability.SYNC: each commit waits for the log force (group commit)";
    private static final TransactionOptions READ = TransactionOptions.builder().readOnly(true).build();

    private final Database db;
    private final Keyspace keyspace;

    private TidemarkStore(final Database db)
    {
        this.db = db;
        this.keyspace = db.keyspace("kv");
    }

    static PeerStore open(final Path directory)
    {
        return new TidemarkStore(Database.open(directory, DatabaseOptions.builder()
            .durability(Durability.SYNC)
            .cacheBytes(Peer.CACHE_BYTES)
            .build()));
    }

    @Override
    public void writeBatch(final byte[][] keys, final byte[][] values, final int count)
    {
        while (true)
        {
            try (Transaction txn = db.begin())
            {
                for (int i = 0; i < count; i++)
                {
                    txn.put(keyspace, keys[i], values[i]);
                }
                txn.commit();
                return;
            }
            catch (final TransactionAbortedException retry)
            {
                // a write conflict with a concurrent writer: nothing of this transaction remains; run it again
            }
        }
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        while (true)
        {
            try (Transaction txn = db.begin())
            {
                txn.put(keyspace, key, value);
                txn.commit();
                return;
            }
            catch (final TransactionAbortedException retry)
            {
                // as in writeBatch
            }
        }
    }

    @Override
    public byte[] get(final byte[] key)
    {
        try (Transaction txn = db.begin(READ))
        {
            return txn.get(keyspace, key);
        }
    }

    @Override
    public long scan(final byte[] start, final long limit, final EntryVisitor visitor)
    {
        try (Transaction txn = db.begin(READ); Cursor cursor = txn.scan(keyspace, start, null))
        {
            return visit(cursor, limit, visitor);
        }
    }

    @Override
    public long scanDescending(final long limit, final EntryVisitor visitor)
    {
        try (Transaction txn = db.begin(READ); Cursor cursor = txn.scanDescending(keyspace, null, null))
        {
            return visit(cursor, limit, visitor);
        }
    }

    private static long visit(final Cursor cursor, final long limit, final EntryVisitor visitor)
    {
        long visited = 0;
        while (visited < limit && cursor.next())
        {
            visitor.visit(cursor.key(), cursor.value());
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
