package dev.tidemark.mvcc;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One keyspace: a B+tree of {@link NodeLayout} pages whose leaf entries hold each key's version chain. Keys are
 * 1 to 2,048 bytes in unsigned lexicographic order; values are 0 bytes to {@link #MAX_VALUE_LENGTH}.
 *
 * <p>Reads take shared latches top-down, holding a parent until the child is latched (latch coupling), and never
 * wait for a transaction. A write descends the same way and latches only the leaf exclusively; a leaf without
 * room is split by a second descent that holds exclusive latches from the lowest inner node with room for one
 * more separator down to the leaf. Splits, merges and new roots are system changes logged as one
 * {@link PagesRecord} each; the row change itself is an {@link EntryRecord} logged before it is applied. The root
 * never moves: a full root hands its entries to two new children.
 *
 * <p>Thread-safe. A writing transaction uses its {@link WriteTxn} from one thread at a time; row locking (one
 * writer per key) is the transaction layer's job.
 */
public final class BTree
{
    /** The largest value a tree stores. */
    public static final int MAX_VALUE_LENGTH = 1 << 30;

    private final MvccStore store;
    private final PageStore pages;
    private final long id;
    private final String name;
    private final long root;
    private final Limits limits;
    private final LongAdder garbageNotes = new LongAdder();
    /** When the background collector last swept this tree (its thread only). */
    long lastSweepNanos = System.nanoTime();
    /** Leaves last changed at or below this LSN are cold: the log end when the previous sweep began. */
    long coldBelowLsn;

    BTree(final MvccStore store, final long id, final String name, final long root)
    {
        this.store = store;
        this.pages = store.pages();
        this.id = id;
        this.name = name;
        this.root = root;
        this.limits = store.limits();
    }

    public long id()
    {
        return id;
    }

    public String name()
    {
        return name;
    }

    /** @return the page id of the root, which never changes. */
    public long rootPage()
    {
        return root;
    }

    MvccStore store()
    {
        return store;
    }

    Limits limits()
    {
        return limits;
    }

    /** @return a new cursor over this tree; reuse it for many scans. */
    public TreeCursor cursor()
    {
        return new TreeCursor(this);
    }

    // ---------------------------------------------------------------------------------------------- reads

    /** @return the value {@code snapshot} sees for {@code key}, or null when it sees none. */
    public byte[] get(final Snapshot snapshot, final byte[] key)
    {
        Objects.requireNonNull(key, "key");
        final Scratch scratch = store.scratch();
        final ExpandableArrayBuffer value = scratch.value;
        final int length = get(scratch, snapshot, wrapKey(scratch, key), 0, key.length, value, 0);
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        value.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Copies the value {@code snapshot} sees for the key into {@code to} at {@code at} (pass an expandable buffer
     * for values of unknown size).
     *
     * @return the value length, or -1 when the snapshot sees no value
     */
    public int get(final Snapshot snapshot, final DirectBuffer key, final int keyOffset, final int keyLength,
        final MutableDirectBuffer to, final int at)
    {
        return get(store.scratch(), snapshot, key, keyOffset, keyLength, to, at);
    }

    /** {@link #get(Snapshot, DirectBuffer, int, int, MutableDirectBuffer, int)} with the calling thread's scratch. */
    private int get(final Scratch scratch, final Snapshot snapshot, final DirectBuffer key, final int keyOffset,
        final int keyLength, final MutableDirectBuffer to, final int at)
    {
        Objects.requireNonNull(snapshot, "snapshot");
        checkKey(keyLength);
        final CommitTable commits = store.commits();
        long overflowPage = 0;
        int overflowLength = 0;
        int read = 0;
        final Frame leaf = descendSharedFrame(key, keyOffset, keyLength);
        try
        {
            final int index = NodeLayout.search(leaf, key, keyOffset, keyLength);
            if (index < 0)
            {
                return -1;
            }
            final ChainView chain = chainOf(scratch, leaf, index);
            final DirectBuffer versions = chain.versions;
            final int version = Versions.visible(versions, chain.offset, chain.length, snapshot, commits);
            if (version < 0 || ChainLayout.isTombstone(versions, version))
            {
                return -1;
            }
            final int valueLength = ChainLayout.valueLength(versions, version);
            if (!ChainLayout.isOverflow(versions, version))
            {
                to.putBytes(at, versions, ChainLayout.valueOffset(version), valueLength);
                return valueLength;
            }
            overflowPage = ChainLayout.overflowPage(versions, version);
            overflowLength = valueLength;
            // read under the leaf's latch: pruning the version (and freeing its pages) needs the leaf exclusive
            read = store.overflow().read(overflowPage, to, at);
        }
        finally
        {
            pages.release(leaf, LatchMode.SHARED);
        }
        if (read != overflowLength)
        {
            throw store.corruption(overflowPage, "the overflow chain at page " + overflowPage + " of tree " + name
                + " holds " + read + " bytes; its version says " + overflowLength);
        }
        return overflowLength;
    }

    /**
     * @return the id of the transaction that wrote the newest version of {@code key} (committed or not), or -1
     * when the tree holds no version of it. The transaction layer checks write conflicts with it.
     */
    public long newestWriter(final byte[] key)
    {
        checkKey(key.length);
        final Scratch scratch = store.scratch();
        final UnsafeBuffer keyBuffer = wrapKey(scratch, key);
        final Frame leaf = descendSharedFrame(keyBuffer, 0, key.length);
        try
        {
            final int index = NodeLayout.search(leaf, keyBuffer, 0, key.length);
            if (index < 0)
            {
                return -1;
            }
            final ChainView chain = chainOf(scratch, leaf, index);
            return ChainLayout.txn(chain.versions, chain.offset);
        }
        finally
        {
            pages.release(leaf, LatchMode.SHARED);
        }
    }

    /**
     * Adds to {@code into} the writer of every version of {@code key} that is newer than the one {@code snapshot}
     * sees (all versions when it sees none): the versions a read at that snapshot skips. Serializable isolation
     * turns each into a read-write conflict.
     *
     * @return the number of writers added
     */
    public int newerWriters(final Snapshot snapshot, final byte[] key, final LongArrayList into)
    {
        Objects.requireNonNull(snapshot, "snapshot");
        checkKey(key.length);
        final Scratch scratch = store.scratch();
        final UnsafeBuffer keyBuffer = wrapKey(scratch, key);
        final Frame leaf = descendSharedFrame(keyBuffer, 0, key.length);
        try
        {
            final int index = NodeLayout.search(leaf, keyBuffer, 0, key.length);
            if (index < 0)
            {
                return 0;
            }
            final ChainView chain = chainOf(scratch, leaf, index);
            return Versions.skipped(chain.versions, chain.offset, chain.length, snapshot, store.commits(), into);
        }
        finally
        {
            pages.release(leaf, LatchMode.SHARED);
        }
    }

    /** @return the calling thread's view of the version chain of entry {@code index} of a latched leaf */
    private ChainView chainOf(final Scratch scratch, final DirectBuffer body, final int index)
    {
        return scratch.chainView.of(store.overflow(), body, NodeLayout.entryOffset(body, index));
    }

    /**
     * Pins the leaf that covers {@code key}, SHARED, by latch coupling from the root; let it go with
     * {@link PageStore#release}. Frames rather than handles: each handle left out is one object less to bring into
     * the CPU cache per level of a lookup.
     */
    private Frame descendSharedFrame(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        Frame node = pages.pinFrame(root, LatchMode.SHARED);
        try
        {
            while (NodeLayout.level(node) > 0)
            {
                final long child = NodeLayout.childFor(node, key, keyOffset, keyLength);
                final Frame next = pages.pinFrame(child, LatchMode.SHARED);
                pages.release(node, LatchMode.SHARED);
                node = next;
            }
            return node;
        }
        catch (final RuntimeException ex)
        {
            pages.release(node, LatchMode.SHARED);
            throw ex;
        }
    }

    /** Pins the leaf that covers {@code key}, EXCLUSIVE, coupling shared latches above it. */
    PageHandle descendExclusive(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        return descendToLeafExclusive(key, keyOffset, keyLength);
    }

    /** Pins the leftmost leaf, EXCLUSIVE, coupling shared latches above it. */
    PageHandle descendLeftmostExclusive()
    {
        return descendToLeafExclusive(null, 0, 0);
    }

    /** The leaf covering {@code key}, or the leftmost leaf when {@code key} is null. */
    private PageHandle descendToLeafExclusive(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        while (true)
        {
            PageHandle node = pages.pin(root, LatchMode.SHARED);
            if (NodeLayout.level(node.body()) == 0)
            {
                node.close();
                node = pages.pin(root, LatchMode.EXCLUSIVE);
                if (NodeLayout.level(node.body()) == 0)
                {
                    return node;
                }
                node.close();
                continue;
            }
            try
            {
                while (true)
                {
                    final int level = NodeLayout.level(node.body());
                    final long child = key == null ? NodeLayout.link(node.body())
                        : NodeLayout.childFor(node.body(), key, keyOffset, keyLength);
                    final PageHandle next = pages.pin(child, level == 1 ? LatchMode.EXCLUSIVE : LatchMode.SHARED);
                    node.close();
                    node = next;
                    if (level == 1)
                    {
                        return node;
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                node.close();
                throw ex;
            }
        }
    }

    // --------------------------------------------------------------------------------------------- writes

    /**
     * Writes a new version of {@code key} for {@code txn}: logged (not forced) before it is applied.
     *
     * @throws IllegalArgumentException for an empty or over-long key, or an over-long value
     * @throws dev.tidemark.StorageFullException when the log has no room; nothing was changed
     */
    public void put(final WriteTxn txn, final byte[] key, final byte[] value)
    {
        Objects.requireNonNull(value, "value");
        write(txn, key, new UnsafeBuffer(value), value.length, false);
    }

    /** Writes a new version of {@code key}; see {@link #put(WriteTxn, byte[], byte[])}. */
    public void put(final WriteTxn txn, final byte[] key, final DirectBuffer value, final int valueLength)
    {
        Objects.requireNonNull(value, "value");
        write(txn, key, value, valueLength, false);
    }

    /**
     * Writes a tombstone version of {@code key} for {@code txn} when the tree holds any version of it.
     *
     * @return whether a tombstone was written
     */
    public boolean delete(final WriteTxn txn, final byte[] key)
    {
        return write(txn, key, null, 0, true);
    }

    private boolean write(final WriteTxn txn, final byte[] key, final DirectBuffer value, final int valueLength,
        final boolean tombstone)
    {
        Objects.requireNonNull(txn, "txn");
        Objects.requireNonNull(key, "key");
        checkKey(key.length);
        if (valueLength < 0 || valueLength > MAX_VALUE_LENGTH)
        {
            throw new IllegalArgumentException("value of " + valueLength + " bytes for tree " + name
                + "; values hold 0 to " + MAX_VALUE_LENGTH + " bytes");
        }
        store.requireWritable();
        final Scratch scratch = store.scratch();
        final ExpandableDirectByteBuffer version = scratch.version;
        long valueOverflow = 0;
        if (tombstone)
        {
            ChainLayout.writeHeader(version, 0, txn.id(), ChainLayout.FLAG_TOMBSTONE, 0);
        }
        else if (valueLength <= limits.inlineValue)
        {
            version.checkLimit(ChainLayout.VERSION_HEADER_LENGTH + valueLength);
            ChainLayout.writeHeader(version, 0, txn.id(), 0, valueLength);
            version.putBytes(ChainLayout.VERSION_HEADER_LENGTH, value, 0, valueLength);
        }
        else
        {
            valueOverflow = store.overflow().write(value, 0, valueLength, scratch);
            ChainLayout.writeHeader(version, 0, txn.id(), ChainLayout.FLAG_OVERFLOW, valueLength);
            version.putLong(ChainLayout.VERSION_HEADER_LENGTH, valueOverflow);
        }
        final int versionLength = ChainLayout.versionLength(version, 0);
        final UnsafeBuffer keyBuffer = wrapKey(scratch, key);
        try
        {
            return store.entries().push(scratch, this, txn, keyBuffer, key.length, version, versionLength, tombstone);
        }
        catch (final RuntimeException ex)
        {
            if (valueOverflow != 0)
            {
                freeQuietly(valueOverflow, scratch, ex);
            }
            throw ex;
        }
    }

    private void freeQuietly(final long firstPage, final Scratch scratch, final RuntimeException failure)
    {
        try
        {
            store.overflow().free(firstPage, scratch);
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    /** Frees the overflow chains listed in {@code firstPages} and clears the list. */
    void freeChains(final LongArrayList firstPages, final Scratch scratch)
    {
        for (int i = 0; i < firstPages.size(); i++)
        {
            store.overflow().free(firstPages.getLong(i), scratch);
        }
        firstPages.clear();
    }

    private static UnsafeBuffer wrapKey(final Scratch scratch, final byte[] key)
    {
        final UnsafeBuffer view = scratch.keyView;
        view.wrap(key);
        return view;
    }

    void checkKey(final int keyLength)
    {
        if (keyLength < 1 || keyLength > NodeLayout.MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key of " + keyLength + " bytes for tree " + name + "; keys hold 1 to "
                + NodeLayout.MAX_KEY_LENGTH + " bytes");
        }
    }

    /** Notes that a version of this tree may have become garbage, for the background collector. */
    void noteGarbage()
    {
        garbageNotes.increment();
    }

    /** @return the versions noted as possible garbage since the collector last took them */
    long garbageNotes()
    {
        return garbageNotes.sum();
    }

    /** The collector sweeps for {@code notes} noted versions. */
    void takeGarbageNotes(final long notes)
    {
        garbageNotes.add(-notes);
    }

    @Override
    public String toString()
    {
        return "BTree[" + name + ", id " + id + ", root page " + root + "]";
    }

    /** Size limits of entries, derived from the page size. */
    static final class Limits
    {
        final int capacity;
        /** The largest leaf entry (header, key and payload), so that any entry fits an empty leaf. */
        final int maxEntry;
        /** The largest value stored inline in a version. */
        final int inlineValue;
        /** Below this many used bytes a node is merged with a sibling when they fit one page. */
        final int underflow;

        Limits(final int bodySize)
        {
            capacity = NodeLayout.capacity(bodySize);
            maxEntry = Math.max(capacity / 4, NodeLayout.ENTRY_HEADER_LENGTH + NodeLayout.MAX_KEY_LENGTH
                + ChainLayout.SPILLED_LENGTH);
            inlineValue = capacity / 8 - ChainLayout.VERSION_HEADER_LENGTH;
            underflow = capacity / 4;
        }
    }
}
