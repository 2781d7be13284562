package dev.tidemark.bench.peers;

import java.nio.file.Path;
import java.util.Collections;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through rocksdbjni: one default column family with the bytewise (unsigned) comparator, otherwise RocksDB's
 * default options except that every write is synced ({@code WriteOptions.setSync(true)}: the write-ahead log is
 * fsynced before the write returns, concurrent writers sharing one sync as RocksDB groups them), the block cache is
 * an LRU cache of {@link Peer#CACHE_BYTES}, and compression is off at every level (no bloom filter, as by default).
 * A batch is one {@code WriteBatch}, applied atomically; reads and scans see the implicit snapshot RocksDB takes
 * when the read or iterator begins.
 */
final class RocksDbStore implements PeerStore
{
    static final String DURABLE = "WriteOptions.setSync(true): every write batch fsyncs the WAL";

    static
    {
        RocksDB.loadLibrary();
    }

    private final LRUCache cache;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;

    private RocksDbStore(final LRUCache cache, final Options options, final WriteOptions writeOptions, final RocksDB db)
    {
        this.cache = cache;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
    }

    static PeerStore open(final Path directory)
    {
        final LRUCache cache = new LRUCache(Peer.CACHE_BYTES);
        final Options options = new Options()
            .setCreateIfMissing(true)
            .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        options.setCompressionType(CompressionType.NO_COMPRESSION)
            .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
            .setCompressionPerLevel(Collections.nCopies(options.numLevels(), CompressionType.NO_COMPRESSION));
        final WriteOptions writeOptions = new WriteOptions().setSync(true);
        try
        {
            return new RocksDbStore(cache, options, writeOptions, RocksDB.open(options, directory.toString()));
        }
        catch (final RocksDBException ex)
        {
            writeOptions.close();
            options.close();
            cache.close();
            throw new IllegalStateException("RocksDB: cannot open " + directory, ex);
        }
    }

    @Override
    public void writeBatch(final byte[][] keys, final byte[][] values, final int count)
    {
        try (WriteBatch batch = new WriteBatch())
        {
            for (int i = 0; i < count; i++)
            {
                batch.put(keys[i], values[i]);
            }
            db.write(writeOptions, batch);
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("RocksDB: write failed", ex);
        }
    }

    @Override
    public void put(final byte[] key, final byte[] value)
    {
        try
        {
            // RocksDB applies a single put as a batch of one: same WAL record, same sync
            db.put(writeOptions, key, value);
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("RocksDB: put failed", ex);
        }
    }

    @Override
    public byte[] get(final byte[] key)
    {
        try
        {
            return db.get(key);
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("RocksDB: get failed", ex);
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

    /** One pass of an iterator (one implicit snapshot) from {@code start} (or an end) in either direction. */
    private long visit(final byte[] start, final boolean descending, final long limit, final EntryVisitor visitor)
    {
        try (RocksIterator iterator = db.newIterator())
        {
            if (descending)
            {
                iterator.seekToLast();
            }
            else if (start == null)
            {
                iterator.seekToFirst();
            }
            else
            {
                iterator.seek(start);
            }
            long visited = 0;
            while (visited < limit && iterator.isValid())
            {
                visitor.visit(iterator.key(), iterator.value());
                visited++;
                if (descending)
                {
                    iterator.prev();
                }
                else
                {
                    iterator.next();
                }
            }
            iterator.status();
            return visited;
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("RocksDB: scan failed", ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            db.closeE();
        }
        catch (final RocksDBException ex)
        {
            throw new IllegalStateException("RocksDB: close failed", ex);
        }
        finally
        {
            writeOptions.close();
            options.close();
            cache.close();
        }
    }
}
