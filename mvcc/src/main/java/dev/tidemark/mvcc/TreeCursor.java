package dev.tidemark.mvcc;

import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An ordered scan of one tree as a {@link Snapshot} sees it, ascending or descending, between an inclusive lower
 * and an exclusive upper bound (null for open ends).
 *
 * <p>The cursor copies one leaf at a time under a shared latch (spilled version chains included) and reads from
 * the copy without latches, so a scan never holds a latch between calls and never blocks a writer. Moving right it
 * latches the leaf it copied again and, when its page LSN is unchanged, follows the right link while holding it;
 * otherwise (the leaf changed, split or merged) it descends again to the first key above the last one it saw.
 * Moving left it always descends again, to the last key below the current leaf's lower bound, so that latches are
 * only ever taken left to right.
 *
 * <p>{@link #key()} and {@link #value()} are views valid until the next call of {@link #next()}. Not thread-safe;
 * reusable through {@link #open} any number of times.
 */
public final class TreeCursor implements AutoCloseable
{
    private static final int HIDDEN = 0;
    private static final int SHOWN = 1;
    private static final int CHANGED = 2;

    private final BTree tree;
    private final PageStore pages;
    private final UnsafeBuffer page;
    private final ExpandableArrayBuffer spills = new ExpandableArrayBuffer(256);
    private int[] spillOffsets = new int[16];
    private int[] spillLengths = new int[16];
    private final ExpandableArrayBuffer from = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer to = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer resume = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer lowBound = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer descent = new ExpandableArrayBuffer(64);
    private final ExpandableArrayBuffer overflowValue = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private Snapshot snapshot;
    private java.util.function.LongConsumer newer;
    private boolean descending;
    private boolean positioned;
    private boolean done = true;
    private int fromLength = -1;
    private int toLength = -1;
    private int resumeLength = -1;
    private int lowBoundLength = -1;
    private long pageId;
    private long pageLsn;
    private int count;
    private int index;

    TreeCursor(final BTree tree)
    {
        this.tree = tree;
        this.pages = tree.store().pages();
        this.page = new UnsafeBuffer(new byte[pages.bodySize()]);
    }

    /**
     * Starts a scan. Call {@link #next()} to move to the first entry.
     *
     * @param fromInclusive the lowest key, or null for the first
     * @param toExclusive   the key above the highest, or null for past the last
     */
    public void open(final Snapshot snapshot, final byte[] fromInclusive, final byte[] toExclusive,
        final boolean descending)
    {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.descending = descending;
        fromLength = bound(from, fromInclusive);
        toLength = bound(to, toExclusive);
        resumeLength = -1;
        positioned = false;
        done = false;
    }

    private int bound(final ExpandableArrayBuffer into, final byte[] key)
    {
        if (key == null)
        {
            return -1;
        }
        tree.checkKey(key.length);
        into.putBytes(0, key);
        return key.length;
    }

    /**
     * Asks to be told, for every entry the scan passes, the writer of each version newer than the one the snapshot
     * sees (of every version when it sees none): serializable isolation tracks such read-write conflicts. Null
     * turns it off.
     */
    public void observeNewer(final java.util.function.LongConsumer observer)
    {
        this.newer = observer;
    }

    /** @return whether the cursor moved to another entry the snapshot sees */
    public boolean next()
    {
        if (done)
        {
            return false;
        }
        if (!positioned)
        {
            position();
            positioned = true;
        }
        while (true)
        {
            if (descending ? !stepLeft() : !stepRight())
            {
                done = true;
                return false;
            }
            final int entry = NodeLayout.entryOffset(page, index);
            final int keyOffset = NodeLayout.keyOffset(entry);
            final int keyLength = NodeLayout.keyLength(page, entry);
            if (descending ? fromLength >= 0 && NodeLayout.compare(page, keyOffset, keyLength, from, 0, fromLength) < 0
                : toLength >= 0 && NodeLayout.compare(page, keyOffset, keyLength, to, 0, toLength) >= 0)
            {
                done = true;
                return false;
            }
            final int outcome = resolve(entry);
            if (outcome == SHOWN)
            {
                keyView.wrap(page, keyOffset, keyLength);
                return true;
            }
            if (outcome == CHANGED)
            {
                reload(keyOffset, keyLength);
            }
        }
    }

    /**
     * The copied leaf changed while an overflow value was read: copy the leaf holding the current key again and
     * stand just before it, so that the next step resolves it once more.
     */
    private void reload(final int keyOffset, final int keyLength)
    {
        descent.putBytes(0, page, keyOffset, keyLength);
        if (descending)
        {
            descent.putByte(keyLength, (byte)0);
            loadBelow(descent, keyLength + 1);
        }
        else
        {
            loadFor(descent, keyLength);
            final int found = NodeLayout.search(page, descent, 0, keyLength);
            index = (found >= 0 ? found : -found - 1) - 1;
        }
    }

    /** @return the key of the current entry (a view, valid until the next move) */
    public DirectBuffer key()
    {
        return keyView;
    }

    /** @return the value of the current entry (a view, valid until the next move) */
    public DirectBuffer value()
    {
        return valueView;
    }

    public byte[] keyBytes()
    {
        final byte[] bytes = new byte[keyView.capacity()];
        keyView.getBytes(0, bytes);
        return bytes;
    }

    public byte[] valueBytes()
    {
        final byte[] bytes = new byte[valueView.capacity()];
        valueView.getBytes(0, bytes);
        return bytes;
    }

    /** Ends the scan; the cursor holds no latch or pin between calls, so this only forgets the position. */
    @Override
    public void close()
    {
        done = true;
        snapshot = null;
    }

    private void position()
    {
        if (!descending)
        {
            if (fromLength < 0)
            {
                loadFor(null, 0);
                index = -1;
            }
            else
            {
                loadFor(from, fromLength);
                final int found = NodeLayout.search(page, from, 0, fromLength);
                index = found >= 0 ? found - 1 : -found - 2;
            }
        }
        else
        {
            loadBelow(toLength < 0 ? null : to, toLength);
        }
    }

    private boolean stepRight()
    {
        while (++index >= count)
        {
            if (!advanceRight())
            {
                return false;
            }
        }
        return true;
    }

    private boolean stepLeft()
    {
        while (--index < 0)
        {
            if (lowBoundLength < 0)
            {
                return false;
            }
            descent.putBytes(0, lowBound, 0, lowBoundLength);
            loadBelow(descent, lowBoundLength);
        }
        return true;
    }

    /** Moves to the leaf right of the copied one; false at the end of the tree. */
    private boolean advanceRight()
    {
        if (count > 0)
        {
            final int entry = NodeLayout.entryOffset(page, count - 1);
            resumeLength = NodeLayout.keyLength(page, entry);
            resume.putBytes(0, page, NodeLayout.keyOffset(entry), resumeLength);
        }
        final long link = NodeLayout.link(page);
        if (link == 0)
        {
            return false;
        }
        try (PageHandle current = pages.pin(pageId, LatchMode.SHARED))
        {
            if (current.pageLsn() == pageLsn)
            {
                try (PageHandle right = pages.pin(link, LatchMode.SHARED))
                {
                    copy(right);
                    index = -1;
                    return true;
                }
            }
        }
        if (resumeLength < 0)
        {
            position();
        }
        else
        {
            loadFor(resume, resumeLength);
            final int found = NodeLayout.search(page, resume, 0, resumeLength);
            index = found >= 0 ? found : -found - 2;
        }
        return true;
    }

    /** Copies the leaf covering {@code key} (the leftmost when null). */
    private void loadFor(final DirectBuffer key, final int keyLength)
    {
        PageHandle node = pages.pin(tree.rootPage(), LatchMode.SHARED);
        try
        {
            while (NodeLayout.level(node.body()) > 0)
            {
                final MutableDirectBuffer body = node.body();
                final long child = key == null ? NodeLayout.link(body)
                    : NodeLayout.childFor(body, key, 0, keyLength);
                final PageHandle next = pages.pin(child, LatchMode.SHARED);
                node.close();
                node = next;
            }
            copy(node);
        }
        finally
        {
            node.close();
        }
    }

    /**
     * Copies the leaf holding the last keys below {@code key} (the rightmost leaf when null), with its lower
     * bound, and positions after the last key below {@code key}.
     */
    private void loadBelow(final DirectBuffer key, final int keyLength)
    {
        lowBoundLength = -1;
        PageHandle node = pages.pin(tree.rootPage(), LatchMode.SHARED);
        try
        {
            while (NodeLayout.level(node.body()) > 0)
            {
                final MutableDirectBuffer body = node.body();
                final int slot = key == null ? NodeLayout.count(body) - 1
                    : NodeLayout.childIndexBelow(body, key, 0, keyLength);
                if (slot >= 0)
                {
                    final int entry = NodeLayout.entryOffset(body, slot);
                    lowBoundLength = NodeLayout.keyLength(body, entry);
                    lowBound.putBytes(0, body, NodeLayout.keyOffset(entry), lowBoundLength);
                }
                final PageHandle next = pages.pin(slot < 0 ? NodeLayout.link(body) : NodeLayout.child(body, slot),
                    LatchMode.SHARED);
                node.close();
                node = next;
            }
            copy(node);
        }
        finally
        {
            node.close();
        }
        if (key == null)
        {
            index = count;
        }
        else
        {
            final int found = NodeLayout.search(page, key, 0, keyLength);
            index = found >= 0 ? found : -found - 1;
        }
    }

    /** Copies a latched leaf, reading its spilled chains while the latch still guards them. */
    private void copy(final PageHandle leaf)
    {
        final MutableDirectBuffer body = leaf.body();
        page.putBytes(0, body, 0, body.capacity());
        pageId = leaf.pageId();
        pageLsn = leaf.pageLsn();
        count = NodeLayout.count(page);
        if (spillOffsets.length < count)
        {
            spillOffsets = new int[count];
            spillLengths = new int[count];
        }
        int spilled = 0;
        for (int i = 0; i < count; i++)
        {
            final int payload = NodeLayout.payloadOffset(page, NodeLayout.entryOffset(page, i));
            if (ChainLayout.form(page, payload) == ChainLayout.FORM_SPILLED)
            {
                spillOffsets[i] = spilled;
                spillLengths[i] = tree.store().overflow().read(ChainLayout.spilledFirstPage(page, payload), spills,
                    spilled);
                spilled += spillLengths[i];
            }
        }
    }

    /**
     * Finds the version the snapshot sees and sets the value view.
     *
     * @return {@link #SHOWN}, {@link #HIDDEN} (no value to show), or {@link #CHANGED} when the leaf changed while
     * an overflow value was read without its latch (the value may have been pruned meanwhile)
     */
    private int resolve(final int entry)
    {
        final int payload = NodeLayout.payloadOffset(page, entry);
        DirectBuffer versions = page;
        int offset = payload + 1;
        int length = NodeLayout.payloadLength(page, entry) - 1;
        if (ChainLayout.form(page, payload) == ChainLayout.FORM_SPILLED)
        {
            versions = spills;
            offset = spillOffsets[index];
            length = spillLengths[index];
        }
        final int version = Versions.visible(versions, offset, length, snapshot, tree.store().commits());
        if (newer != null)
        {
            final int skippedEnd = version < 0 ? offset + length : version;
            for (int at = offset; at < skippedEnd; at += ChainLayout.versionLength(versions, at))
            {
                newer.accept(ChainLayout.txn(versions, at));
            }
        }
        if (version < 0 || ChainLayout.isTombstone(versions, version))
        {
            return HIDDEN;
        }
        final int valueLength = ChainLayout.valueLength(versions, version);
        if (ChainLayout.isOverflow(versions, version))
        {
            final int read;
            try
            {
                read = tree.store().overflow().read(ChainLayout.overflowPage(versions, version), overflowValue, 0);
            }
            catch (final RuntimeException ex)
            {
                if (leafChanged())
                {
                    return CHANGED;
                }
                throw ex;
            }
            if (leafChanged())
            {
                return CHANGED;
            }
            if (read != valueLength)
            {
                throw tree.store().corruption(pageId, "an overflow value of tree " + tree.name() + " holds " + read
                    + " bytes; its version says " + valueLength);
            }
            valueView.wrap(overflowValue, 0, valueLength);
        }
        else
        {
            valueView.wrap(versions, ChainLayout.valueOffset(version), valueLength);
        }
        return SHOWN;
    }

    /**
     * @return whether the copied leaf changed since it was copied. Pruning a version changes its leaf before its
     * overflow pages are freed, so an unchanged leaf after a read means the pages read were still that value's.
     */
    private boolean leafChanged()
    {
        try (PageHandle leaf = pages.pin(pageId, LatchMode.SHARED))
        {
            return leaf.pageLsn() != pageLsn;
        }
    }
}
