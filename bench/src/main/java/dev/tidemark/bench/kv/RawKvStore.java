package dev.tidemark.bench.kv;

import dev.tidemark.bench.BenchFiles;
import dev.tidemark.mvcc.BTree;
import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.MvccStore;
import dev.tidemark.mvcc.MvccStoreOptions;
import dev.tidemark.mvcc.PageStoreOptions;
import dev.tidemark.mvcc.WriteTxn;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The raw page store under the benchmarks: an {@link MvccStore} with one {@link BTree} ({@value #TREE}) holding
 * the {@link KvBenchData} set, its {@link WriteAheadLog}, and no transaction layer. Every version counts as
 * committed at timestamp 1 and the prune horizon is {@code Long.MAX_VALUE - 2} ({@link #COMMITTED}), so a
 * {@link dev.tidemark.mvcc.Snapshot#latest latest} snapshot sees the newest version of every key and garbage
 * collection drops every older one. Tree changes are logged without forcing ({@code Durability.NONE}, as
 * {@code BTree} appends them); the log is forced only when pages are written.
 *
 * <p>{@link #load} fills a fresh store in a scratch directory with one writer (transaction 1), closes it (writing
 * every page) and retires the log it wrote; {@link #open} then opens the store with the buffer pool to measure.
 */
public final class RawKvStore implements AutoCloseable
{
    public static final String TREE = "kv";

    /** Everything committed at timestamp 1; every snapshot reads above the horizon, so GC prunes freely. */
    public static final CommitTable COMMITTED = new CommitTable()
    {
        @Override
        public long commitTimestamp(final long transactionId)
        {
            return 1;
        }

        @Override
        public long pruneHorizon()
        {
            return Long.MAX_VALUE - 2;
        }
    };

    private final Path directory;
    private final WriteAheadLog wal;
    private MvccStore store;
    private BTree tree;
    private long pageBytes;

    private RawKvStore(final String prefix)
    {
        directory = BenchFiles.newDirectory(prefix);
        wal = WriteAheadLog.open(WalOptions.builder(directory.resolve("wal")).build());
    }

    /**
     * Loads the first {@code keys} entries of {@link KvBenchData} into a new store (buffer pool of
     * {@code loadPoolBytes}) and closes it; call {@link #open} next.
     */
    public static RawKvStore load(final String prefix, final int keys, final long loadPoolBytes)
    {
        final RawKvStore raw = new RawKvStore(prefix);
        try
        {
            raw.open(loadPoolBytes);
            final WriteTxn loader = new WriteTxn(1);
            final byte[] key = new byte[KvBenchData.KEY_BYTES];
            final UnsafeBuffer keyView = new UnsafeBuffer(key);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[KvBenchData.VALUE_BYTES]);
            for (int i = 0; i < keys; i++)
            {
                KvBenchData.key(i, keyView);
                KvBenchData.value(i, 0, value);
                raw.tree.put(loader, key, value, KvBenchData.VALUE_BYTES);
            }
            raw.pageBytes = raw.store.pages().pageCount() * raw.store.pages().pageSize();
            raw.closeStore();
            raw.wal.flush();
            raw.wal.retireBelow(raw.wal.lastAppendedLsn());
            return raw;
        }
        catch (final RuntimeException ex)
        {
            raw.closeQuietly(ex);
            throw ex;
        }
    }

    /** (Re)opens the store with a buffer pool of {@code poolBytes}. @return the tree */
    public BTree open(final long poolBytes)
    {
        closeStore();
        store = MvccStore.open(MvccStoreOptions.builder(PageStoreOptions.builder(directory.resolve("pages.tm"))
            .bufferPoolBytes(poolBytes).build()).build(), wal, COMMITTED);
        tree = store.tree(TREE).orElseGet(() -> store.createTree(TREE));
        return tree;
    }

    public BTree tree()
    {
        return tree;
    }

    /** @return the bytes of the page file after loading: its page count times the page size */
    public long pageBytes()
    {
        return pageBytes;
    }

    /** @return the page size of the store */
    public int pageSize()
    {
        return store.pages().pageSize();
    }

    /** Writes every page changed so far and retires the log below it, as a checkpoint does. */
    public void checkpoint()
    {
        final long lsn = wal.lastAppendedLsn();
        wal.awaitDurable(lsn);
        store.pages().flushUpTo(lsn);
        wal.retireBelow(lsn);
    }

    private void closeStore()
    {
        if (store != null)
        {
            final MvccStore closing = store;
            store = null;
            tree = null;
            closing.close();
        }
    }

    /** Closes the store and the log and deletes the scratch directory. */
    @Override
    public void close()
    {
        try
        {
            closeStore();
        }
        finally
        {
            try
            {
                wal.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    private void closeQuietly(final RuntimeException failure)
    {
        try
        {
            close();
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }
}
