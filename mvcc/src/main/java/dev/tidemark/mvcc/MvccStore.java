package dev.tidemark.mvcc;

import dev.tidemark.CorruptionException;
import dev.tidemark.FailStopException;
import dev.tidemark.TidemarkException;
import dev.tidemark.wal.WalCursor;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The MVCC page store: named trees (keyspaces) of versioned entries in one page file, every change logged to the
 * write-ahead log before it is applied. Opens the {@link PageStore}, keeps the catalog (tree 0, rooted at the
 * first data page: name to tree id and root page), runs the background garbage collector
 * ({@code tidemark-mvcc-gc}) and undoes transactions through the log.
 *
 * <p>Call order: {@code MvccStore → BTree / TreeCursor → EntryWriter, TreeSmo → SmoBatch, Overflow → PageStore};
 * the WAL is called by {@code EntryWriter} and {@code SmoBatch} (append) and by {@link #rollback} (read).
 *
 * <p>Thread-safe. {@link #close()} once no other thread uses the store.
 */
public final class MvccStore implements AutoCloseable
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MvccStore.class);
    private static final long PROGRESS_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
    static final long CATALOG_ID = 0;
    private static final int CATALOG_VALUE_LENGTH = 24;
    private static final int CATALOG_VERSION = 1;
    private static final int MAX_NAME_LENGTH = 255;
    /** The catalog key holding the next tree id, so that a dropped tree's id is never given out again. */
    private static final byte[] NEXT_ID_KEY = {0, 'n', 'e', 'x', 't', '-', 'i', 'd'};

    private final PageStore pages;
    private final WriteAheadLog wal;
    private final CommitTable commits;
    private final BTree.Limits limits;
    private final Overflow overflow;
    private final EntryWriter entries;
    private final TreeSmo smo;
    /**
     * Each thread's scratch, behind a small holder: a thread keeps its ThreadLocal values after the store is gone
     * (until its map drops stale entries), so close() empties every holder it handed out and a thread that used
     * the store retains a few bytes, not the pages, pool and file the scratch leads to.
     */
    private final ThreadLocal<ScratchHolder> scratch;
    private final java.util.concurrent.ConcurrentLinkedQueue<ScratchHolder> holders =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, BTree> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, BTree> byId = new ConcurrentHashMap<>();
    private final Object catalogLock = new Object();
    private final BTree catalog;
    private final GarbageCollector collector;
    private long nextTreeId = CATALOG_ID + 1;
    private volatile boolean closed;

    private MvccStore(final MvccStoreOptions options, final PageStore pages, final WriteAheadLog wal,
        final CommitTable commits)
    {
        this.pages = pages;
        this.wal = wal;
        this.commits = commits;
        this.limits = new BTree.Limits(pages.bodySize());
        this.overflow = new Overflow(pages, wal);
        this.entries = new EntryWriter(this, wal);
        this.smo = new TreeSmo(this, pages, wal);
        this.scratch = ThreadLocal.withInitial(() ->
        {
            final ScratchHolder holder = new ScratchHolder(new Scratch(pages));
            holders.add(holder);
            return holder;
        });
        this.catalog = new BTree(this, CATALOG_ID, "(catalog)", pages.firstDataPage());
        this.collector = new GarbageCollector(this, options.gcInterval());
    }

    /**
     * Opens the store of {@code options} (creating the page file and the catalog when absent); changes are logged
     * to {@code wal}; {@code commits} tells which versions are committed.
     *
     * @throws CorruptionException naming file and offset when a page fails its checks
     */
    public static MvccStore open(final MvccStoreOptions options, final WriteAheadLog wal, final CommitTable commits)
    {
        return open(options, wal, commits, true);
    }

    /**
     * Opens the store for restart {@link #redo} only: the catalog is neither read nor created (its pages on disk
     * may be older than each other until redo has run), and no collector runs. Close it after the pass; any other
     * use is wrong.
     */
    public static MvccStore openForRedo(final MvccStoreOptions options, final WriteAheadLog wal)
    {
        final CommitTable nothingCommitted = new CommitTable()
        {
            @Override
            public long commitTimestamp(final long transactionId)
            {
                return NOT_COMMITTED;
            }

            @Override
            public long pruneHorizon()
            {
                return 0;
            }
        };
        return open(options, wal, nothingCommitted, false);
    }

    private static MvccStore open(final MvccStoreOptions options, final WriteAheadLog wal, final CommitTable commits,
        final boolean withCatalog)
    {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(wal, "wal");
        Objects.requireNonNull(commits, "commits");
        // redo allocates nothing: it needs no free list, so the file is not read through to build one
        final PageStore pages = PageStore.open(options.pages(), LogForce.of(wal), withCatalog);
        try
        {
            final MvccStore store = new MvccStore(options, pages, wal, commits);
            if (withCatalog)
            {
                store.openCatalog();
                store.collector.start();
            }
            return store;
        }
        catch (final RuntimeException ex)
        {
            try
            {
                pages.close();
            }
            catch (final RuntimeException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
    }

    private void openCatalog()
    {
        final long rootId = pages.firstDataPage();
        final int type;
        try (PageHandle root = pages.pin(rootId, LatchMode.SHARED))
        {
            type = root.pageType();
            if ((type == NodeLayout.TYPE_LEAF || type == NodeLayout.TYPE_INNER)
                && NodeLayout.treeId(root.body()) != CATALOG_ID)
            {
                throw corruption(rootId, "page " + rootId + " should be the catalog root but belongs to tree "
                    + NodeLayout.treeId(root.body()));
            }
        }
        if (type == PageLayout.TYPE_NONE || type == PageLayout.TYPE_FREE)
        {
            newRoot(CATALOG_ID, rootId);
            wal.awaitDurable(wal.lastAppendedLsn());
            return;
        }
        if (type != NodeLayout.TYPE_LEAF && type != NodeLayout.TYPE_INNER)
        {
            throw corruption(rootId, "page " + rootId + " should be the catalog root but has page type " + type);
        }
        try (TreeCursor cursor = catalog.cursor())
        {
            cursor.open(Snapshot.latest(CommitTable.SYSTEM_TRANSACTION), null, null, false);
            while (cursor.next())
            {
                final byte[] key = cursor.keyBytes();
                final UnsafeBuffer value = new UnsafeBuffer(cursor.valueBytes());
                if (java.util.Arrays.equals(key, NEXT_ID_KEY))
                {
                    nextTreeId = Math.max(nextTreeId, value.getLong(0));
                    continue;
                }
                final String name = new String(key, StandardCharsets.UTF_8);
                if (value.capacity() != CATALOG_VALUE_LENGTH || value.getShort(0) != CATALOG_VERSION)
                {
                    throw corruption(rootId, "catalog entry of tree '" + name + "' has an unknown layout");
                }
                final long id = value.getLong(8);
                register(new BTree(this, id, name, value.getLong(16)));
                nextTreeId = Math.max(nextTreeId, id + 1);
            }
        }
    }

    /**
     * Logs and applies an empty leaf as the root of tree {@code id}; expects page {@code expected} (or any when
     * negative).
     *
     * @return the root page
     */
    private long newRoot(final long id, final long expected)
    {
        final Scratch s = scratch();
        final org.agrona.MutableDirectBuffer image = s.smo.create(NodeLayout.TYPE_LEAF);
        final long pageId = s.smo.pageIdOf(image);
        if (expected >= 0 && pageId != expected)
        {
            s.smo.abandon();
            throw corruption(expected, "the catalog root must be page " + expected + " but the free list offers "
                + pageId);
        }
        NodeLayout.init(image, 0, id, 0);
        s.smo.commit(wal, s.record);
        return pageId;
    }

    private void register(final BTree tree)
    {
        byName.put(tree.name(), tree);
        byId.put(tree.id(), tree);
    }

    /**
     * Opens tree {@code name}, creating it durably (its root page and catalog entry forced to the log) when absent.
     *
     * @throws IllegalArgumentException when the name is empty or longer than 255 bytes in UTF-8
     */
    public BTree createTree(final String name)
    {
        Objects.requireNonNull(name, "name");
        final byte[] key = name.getBytes(StandardCharsets.UTF_8);
        if (key.length == 0 || key.length > MAX_NAME_LENGTH || key[0] == 0)
        {
            throw new IllegalArgumentException("tree name '" + name + "' is " + key.length + " bytes in UTF-8; "
                + "names hold 1 to " + MAX_NAME_LENGTH + " and do not start with the character U+0000");
        }
        synchronized (catalogLock)
        {
            requireWritable();
            final BTree existing = byName.get(name);
            if (existing != null)
            {
                return existing;
            }
            final long id = nextTreeId++;
            final UnsafeBuffer next = new UnsafeBuffer(new byte[Long.BYTES]);
            next.putLong(0, nextTreeId);
            catalog.put(WriteTxn.system(), NEXT_ID_KEY, next, Long.BYTES);
            final long root = newRoot(id, -1);
            final UnsafeBuffer value = new UnsafeBuffer(new byte[CATALOG_VALUE_LENGTH]);
            value.putShort(0, (short)CATALOG_VERSION);
            value.putLong(8, id);
            value.putLong(16, root);
            catalog.put(WriteTxn.system(), key, value, CATALOG_VALUE_LENGTH);
            wal.awaitDurable(wal.lastAppendedLsn());
            final BTree tree = new BTree(this, id, name, root);
            register(tree);
            return tree;
        }
    }

    /**
     * Drops tree {@code name}: its catalog entry goes first (forced to the log), then every page of it is freed. A
     * crash in between leaves unreachable pages, never a catalog entry pointing at freed ones. The caller makes
     * sure no one uses the tree any more.
     *
     * @throws IllegalArgumentException when there is no such tree
     */
    public void dropTree(final String name)
    {
        Objects.requireNonNull(name, "name");
        synchronized (catalogLock)
        {
            requireWritable();
            final BTree tree = byName.get(name);
            if (tree == null)
            {
                throw new IllegalArgumentException("there is no tree named '" + name + "'");
            }
            catalog.delete(WriteTxn.system(), name.getBytes(StandardCharsets.UTF_8));
            wal.awaitDurable(wal.lastAppendedLsn());
            byName.remove(name);
            byId.remove(tree.id());
            final org.agrona.collections.LongArrayList all = new org.agrona.collections.LongArrayList();
            new TreePages(this).collect(tree, all);
            final Scratch s = scratch();
            for (int from = 0; from < all.size(); from += 512)
            {
                for (int i = from; i < Math.min(all.size(), from + 512); i++)
                {
                    s.smo.free(all.getLong(i));
                }
                s.smo.commit(wal, s.record);
            }
        }
    }

    /** @return the tree called {@code name}, if the store has it */
    public Optional<BTree> tree(final String name)
    {
        return Optional.ofNullable(byName.get(name));
    }

    /** @return the names of the trees, in no particular order */
    public List<String> treeNames()
    {
        return new ArrayList<>(byName.keySet());
    }

    List<BTree> trees()
    {
        final List<BTree> all = new ArrayList<>();
        all.add(catalog);
        all.addAll(byId.values());
        return all;
    }

    /**
     * Undoes the changes of {@code txn} logged after {@code toLsn} (0: all of them), newest first, reading them
     * back from the log; each undo is logged as a compensation record, so that a rollback cut short by a crash is
     * finished by recovery and never undone twice. A savepoint is the transaction's {@link WriteTxn#lastLsn()}.
     *
     * @return the LSN of the transaction's next record to undo (at or below {@code toLsn}), or 0 when none is left;
     * restart recovery interleaves the rollbacks of several transactions in reverse LSN order with it
     */
    public long rollback(final WriteTxn txn, final long toLsn)
    {
        Objects.requireNonNull(txn, "txn");
        requireWritable();
        long lsn = txn.lastLsn();
        if (lsn <= toLsn)
        {
            return lsn;
        }
        final EntryRecord record = new EntryRecord();
        awaitWritten(lsn);
        try (WalCursor cursor = wal.cursor(lsn))
        {
            while (lsn > toLsn)
            {
                awaitWritten(lsn);
                cursor.seek(lsn);
                if (!cursor.next() || cursor.lsn() != lsn)
                {
                    throw new TidemarkException("rollback of transaction " + txn.id() + " cannot read its log "
                        + "record at LSN " + lsn + " (found " + cursor.lsn() + "); the log lost records it "
                        + "acknowledged");
                }
                if (cursor.type() != LogRecordTypes.TREE_ENTRY)
                {
                    throw new TidemarkException("rollback of transaction " + txn.id() + " found a record of type "
                        + cursor.type() + " at LSN " + lsn + ", which is not one of its changes");
                }
                try
                {
                    record.wrap(cursor.payload(), 0, cursor.payloadLength());
                }
                catch (final RedoMismatchException ex)
                {
                    throw new TidemarkException("rollback of transaction " + txn.id() + " cannot read its log record "
                        + "at LSN " + lsn + ": " + ex.getMessage());
                }
                if (record.txn() != txn.id())
                {
                    throw new TidemarkException("rollback of transaction " + txn.id() + " found a change of "
                        + "transaction " + record.txn() + " at LSN " + lsn + " in its chain");
                }
                if (record.kind() == EntryRecord.KIND_COMPENSATION)
                {
                    lsn = record.undoNextLsn();
                    continue;
                }
                final long prev = record.prevLsn();
                final BTree tree = byId.get(record.treeId());
                if (tree == null)
                {
                    throw new TidemarkException("rollback of transaction " + txn.id() + " found a change of tree "
                        + record.treeId() + ", which the store does not have");
                }
                entries.undo(tree, txn, record);
                lsn = prev;
            }
        }
        return lsn;
    }

    private void awaitWritten(final long lsn)
    {
        while (wal.writtenLsn() < lsn)
        {
            final RuntimeException failure = wal.failure();
            if (failure != null)
            {
                // a new exception each time: the latched one thrown twice (a rollback, then a close that rolls back
                // again) would be suppressed into itself by try-with-resources
                throw new FailStopException("cannot read back the log at LSN " + lsn + " to roll back: the log "
                    + "stopped after an I/O failure; reopen the database to recover", failure);
            }
            LockSupport.parkNanos(10_000);
        }
    }

    /**
     * Runs one garbage-collection sweep on the calling thread over every tree: versions no live or future snapshot
     * can see are removed and underfull leaves merged.
     *
     * @return the entries changed
     */
    public int collectGarbage()
    {
        requireWritable();
        int changed = 0;
        for (final BTree tree : trees())
        {
            changed += collector.sweep(tree);
        }
        return changed;
    }

    /**
     * Stops the background garbage collector (for good): from now on only the caller's own changes reach the log,
     * as a closing database needs before its final checkpoint. {@link #close()} does this too.
     */
    public void stopCollector()
    {
        collector.close();
    }

    /** Receives the log records of other modules that a {@link #redo} pass reads. */
    @FunctionalInterface
    public interface RecordVisitor
    {
        void record(long lsn, int type, DirectBuffer payload, int length);
    }

    /**
     * Restart redo: repeats history from {@code fromLsn} to the end of the log. Every page operation of this
     * module is applied to each page it names whose page LSN is below the record's (the page-LSN test makes the pass
     * idempotent: running it again, after a crash during it, changes nothing more); the file grows when a record
     * names a page beyond its end. Records of other types go to {@code others}. Call it on a store from
     * {@link #openForRedo}, then close it and open the store normally (which reads the catalog as redo left it). A
     * long pass logs its progress (INFO) every 2 s.
     *
     * @return what the pass did, with the last record of every transaction that wrote (for undo)
     */
    public RedoReport redo(final long fromLsn, final RecordVisitor others)
    {
        return redo(fromLsn, RedoScope.ALL, others);
    }

    /**
     * {@link #redo(long, RecordVisitor)} that repeats a page change only when {@code scope} admits it (the
     * dirty-page table of the analysis): a page it rules out is not read.
     */
    public RedoReport redo(final long fromLsn, final RedoScope scope, final RecordVisitor others)
    {
        requireWritable();
        // primitive keys and values: one entry record in two takes this put in a long redo
        final Long2LongHashMap lastLsn = new Long2LongHashMap(0);
        final org.agrona.collections.LongArrayList pageIds = new org.agrona.collections.LongArrayList();
        final EntryRecord entry = new EntryRecord();
        final PageRedo redoer = new PageRedo();
        long records = 0;
        long bytes = 0;
        long redone = 0;
        long skipped = 0;
        long maxTxn = 0;
        long last = 0;
        final long end = wal.lastAppendedLsn();
        final long startNanos = System.nanoTime();
        long reportedAt = startNanos;
        try (WalCursor cursor = wal.cursor(fromLsn))
        {
            while (cursor.next())
            {
                final long lsn = cursor.lsn();
                final int type = cursor.type();
                final DirectBuffer payload = cursor.payload();
                final int length = cursor.payloadLength();
                records++;
                bytes += length;
                last = lsn;
                if ((records & 4095) == 0 && System.nanoTime() - reportedAt > PROGRESS_NANOS)
                {
                    reportedAt = System.nanoTime();
                    LOG.info("restart redo of {}: at LSN {} of {}, {} records read, {} page changes applied",
                        pages.path(), lsn, end, records, redone);
                }
                if (type != LogRecordTypes.TREE_ENTRY && type != LogRecordTypes.TREE_PAGES)
                {
                    others.record(lsn, type, payload, length);
                    continue;
                }
                if (type == LogRecordTypes.TREE_ENTRY)
                {
                    try
                    {
                        entry.wrap(payload, 0, length);
                    }
                    catch (final RedoMismatchException ex)
                    {
                        throw new TidemarkException("restart redo cannot read the log record at LSN " + lsn + ": "
                            + ex.getMessage());
                    }
                    if (entry.kind() != EntryRecord.KIND_SYSTEM)
                    {
                        lastLsn.put(entry.txn(), lsn);
                        maxTxn = Math.max(maxTxn, entry.txn());
                    }
                }
                pageIds.clear();
                redoer.pages(type, payload, 0, length, pageIds);
                for (int i = 0; i < pageIds.size(); i++)
                {
                    final long pageId = pageIds.getLong(i);
                    if (!scope.mayNeedRedo(pageId, lsn))
                    {
                        skipped++;
                        continue;
                    }
                    pages.ensurePage(pageId);
                    try (PageHandle page = pages.pin(pageId, LatchMode.EXCLUSIVE))
                    {
                        if (redoer.apply(page.pageBuffer(), pageId, lsn, type, payload, 0, length))
                        {
                            page.markDirty(lsn);
                            redone++;
                        }
                    }
                }
            }
        }
        return new RedoReport(fromLsn, last, records, bytes, redone, skipped, maxTxn, lastLsn,
            System.nanoTime() - startNanos);
    }

    /**
     * Frees, with logged page operations, every data page that is neither free nor reachable from a tree: pages
     * whose allocation reached the log while the change that would have referred to them did not (a crash between
     * an overflow value's pages and its entry, for one). Restart recovery calls it after undo; call it only while
     * nothing else uses the store, since a change under way holds pages that no tree reaches yet.
     *
     * @return the pages freed
     */
    public int reclaimLeakedPages()
    {
        requireWritable();
        final org.agrona.collections.LongArrayList reachable = new org.agrona.collections.LongArrayList();
        final TreePages collector = new TreePages(this);
        for (final BTree tree : trees())
        {
            collector.collect(tree, reachable);
        }
        final org.agrona.collections.LongHashSet reached = new org.agrona.collections.LongHashSet();
        for (int i = 0; i < reachable.size(); i++)
        {
            reached.add(reachable.getLong(i));
        }
        final Scratch scratch = scratch();
        final SmoBatch smo = scratch.smo;
        int freed = 0;
        int inBatch = 0;
        for (long pageId = pages.firstDataPage(); pageId < pages.pageCount(); pageId++)
        {
            if (!pages.isFree(pageId) && !reached.contains(pageId))
            {
                smo.free(pageId);
                freed++;
                if (++inBatch == Overflow.FREES_PER_RECORD)
                {
                    smo.commit(wal, scratch.record);
                    inBatch = 0;
                }
            }
        }
        if (inBatch > 0)
        {
            smo.commit(wal, scratch.record);
        }
        return freed;
    }

    /** A full structural check (see {@link TreeVerifier}); call it while no writer is active. */
    public VerifyReport verify()
    {
        requireOpen();
        return new TreeVerifier(this).verify();
    }

    /** @return the page store under the trees */
    public PageStore pages()
    {
        return pages;
    }

    WriteAheadLog wal()
    {
        return wal;
    }

    CommitTable commits()
    {
        return commits;
    }

    BTree.Limits limits()
    {
        return limits;
    }

    Overflow overflow()
    {
        return overflow;
    }

    EntryWriter entries()
    {
        return entries;
    }

    TreeSmo smo()
    {
        return smo;
    }

    Scratch scratch()
    {
        final Scratch current = scratch.get().scratch;
        if (current == null)
        {
            throw new IllegalStateException("the store of " + pages.path() + " is closed");
        }
        return current;
    }

    private static final class ScratchHolder
    {
        volatile Scratch scratch;

        ScratchHolder(final Scratch scratch)
        {
            this.scratch = scratch;
        }
    }

    BTree catalog()
    {
        return catalog;
    }

    CorruptionException corruption(final long pageId, final String problem)
    {
        return new CorruptionException(pages.path(), pageId * pages.pageSize(), problem);
    }

    void requireOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the MVCC store of " + pages.path() + " is closed");
        }
    }

    void requireWritable()
    {
        requireOpen();
    }

    /** Stops the collector, then closes the page store (which writes every dirty page). */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try
        {
            collector.close();
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        try
        {
            pages.close();
        }
        catch (final RuntimeException ex)
        {
            if (failure == null)
            {
                failure = ex;
            }
            else
            {
                failure.addSuppressed(ex);
            }
        }
        // after the collector stopped and the pages closed: nobody of this store uses a scratch any more
        for (ScratchHolder holder = holders.poll(); holder != null; holder = holders.poll())
        {
            holder.scratch = null;
        }
        scratch.remove();
        if (failure != null)
        {
            throw failure;
        }
    }
}
