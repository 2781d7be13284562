package dev.tidemark.mvcc;

import dev.tidemark.wal.WriteAheadLog;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Structure changes of a tree: splits and merges, each one {@link SmoBatch} (one logged system change that no
 * rollback undoes). Both descend from the root with exclusive latches. A split keeps only the path from the lowest
 * inner node that has room for one more separator; a merge keeps the whole path. Latches are taken top-down and,
 * among siblings, left before right (cursors move right while holding a leaf), so a merge with a left sibling
 * first lets go of the right one.
 *
 * <p>Thread-safe; buffers come from the calling thread's {@link Scratch}.
 */
final class TreeSmo
{
    private static final int MAX_DEPTH = 64;

    private final MvccStore store;
    private final PageStore pages;
    private final WriteAheadLog wal;

    TreeSmo(final MvccStore store, final PageStore pages, final WriteAheadLog wal)
    {
        this.store = store;
        this.pages = pages;
        this.wal = wal;
    }

    // ---------------------------------------------------------------------------------------------- split

    /** Splits the leaf that covers {@code key} (and its ancestors as needed) so that the caller can retry. */
    void split(final BTree tree, final DirectBuffer key, final int keyLength)
    {
        final Scratch scratch = store.scratch();
        final PageHandle[] path = new PageHandle[MAX_DEPTH];
        int depth = 0;
        try
        {
            path[depth++] = pages.pin(tree.rootPage(), LatchMode.EXCLUSIVE);
            while (NodeLayout.level(path[depth - 1].body()) > 0)
            {
                final long child = NodeLayout.childFor(path[depth - 1].body(), key, 0, keyLength);
                final PageHandle next = pages.pin(child, LatchMode.EXCLUSIVE);
                if (NodeLayout.level(next.body()) > 0 && NodeLayout.available(next.body()) >= NodeLayout.MAX_INNER_ENTRY)
                {
                    release(path, depth);
                    depth = 0;
                }
                path[depth++] = next;
            }
            splitLeaf(tree, path, depth, key, keyLength, scratch);
        }
        catch (final RuntimeException ex)
        {
            scratch.smo.abandon();
            throw ex;
        }
        finally
        {
            release(path, depth);
        }
    }

    private void splitLeaf(final BTree tree, final PageHandle[] path, final int depth, final DirectBuffer key,
        final int keyLength, final Scratch scratch)
    {
        final PageHandle leaf = path[depth - 1];
        final MutableDirectBuffer body = leaf.body();
        final int count = NodeLayout.count(body);
        final int at;
        if (count >= 2)
        {
            at = balancedSplit(body);
            separator(scratch, body, NodeLayout.entryOffset(body, at - 1), body, NodeLayout.entryOffset(body, at));
        }
        else if (count == 1)
        {
            final int entry = NodeLayout.entryOffset(body, 0);
            final int cmp = NodeLayout.compare(key, 0, keyLength, body, NodeLayout.keyOffset(entry),
                NodeLayout.keyLength(body, entry));
            if (cmp == 0)
            {
                return;
            }
            at = cmp < 0 ? 0 : 1;
            if (cmp < 0)
            {
                separator(scratch, key, 0, keyLength, body, NodeLayout.keyOffset(entry),
                    NodeLayout.keyLength(body, entry));
            }
            else
            {
                separator(scratch, body, NodeLayout.keyOffset(entry), NodeLayout.keyLength(body, entry), key, 0,
                    keyLength);
            }
        }
        else
        {
            return;
        }
        final SmoBatch smo = scratch.smo;
        final MutableDirectBuffer source = scratch.copy;
        source.putBytes(0, body, 0, body.capacity());
        if (depth == 1 && leaf.pageId() == tree.rootPage())
        {
            final MutableDirectBuffer rootImage = smo.edit(leaf);
            final MutableDirectBuffer left = smo.create(NodeLayout.TYPE_LEAF);
            final MutableDirectBuffer right = smo.create(NodeLayout.TYPE_LEAF);
            final long rightId = smo.pageIdOf(right);
            NodeLayout.init(left, 0, tree.id(), rightId);
            NodeLayout.init(right, 0, tree.id(), NodeLayout.link(source));
            copyEntries(source, 0, at, left, scratch);
            copyEntries(source, at, count, right, scratch);
            NodeLayout.init(rootImage, 1, tree.id(), smo.pageIdOf(left));
            smo.type(rootImage, NodeLayout.TYPE_INNER);
            insertChild(rootImage, 0, scratch, rightId);
        }
        else
        {
            final MutableDirectBuffer left = smo.edit(leaf);
            final MutableDirectBuffer right = smo.create(NodeLayout.TYPE_LEAF);
            final long rightId = smo.pageIdOf(right);
            NodeLayout.init(right, 0, tree.id(), NodeLayout.link(source));
            NodeLayout.init(left, 0, tree.id(), rightId);
            copyEntries(source, 0, at, left, scratch);
            copyEntries(source, at, count, right, scratch);
            insertSeparator(tree, path, depth - 2, rightId, scratch);
        }
        smo.commit(wal, scratch.record);
    }

    /**
     * Inserts the separator in {@code scratch.separator} pointing to {@code child} into {@code path[level]},
     * splitting it (and, recursively, its parents) when it has no room.
     */
    private void insertSeparator(final BTree tree, final PageHandle[] path, final int level, final long child,
        final Scratch scratch)
    {
        if (level < 0)
        {
            throw new IllegalStateException("split of tree " + tree.name() + " reached above the latched path");
        }
        final SmoBatch smo = scratch.smo;
        final PageHandle node = path[level];
        final MutableDirectBuffer image = smo.edit(node);
        final int sepLength = scratch.separatorLength;
        final int found = NodeLayout.search(image, scratch.separator, 0, sepLength);
        if (found >= 0)
        {
            throw new IllegalStateException("separator already in page " + node.pageId() + " of tree " + tree.name());
        }
        final int at = -found - 1;
        if (NodeLayout.available(image) >= NodeLayout.entrySpace(sepLength, NodeLayout.CHILD_LENGTH))
        {
            insertChild(image, at, scratch, child);
            return;
        }
        // the new entry, in entry form, at the virtual position `at` among the node's entries
        final MutableDirectBuffer fresh = scratch.newEntry;
        fresh.putShort(0, (short)sepLength);
        fresh.putShort(2, (short)NodeLayout.CHILD_LENGTH);
        fresh.putBytes(NodeLayout.ENTRY_HEADER_LENGTH, scratch.separator, 0, sepLength);
        fresh.putLong(NodeLayout.ENTRY_HEADER_LENGTH + sepLength, child);
        final MutableDirectBuffer source = scratch.copy;
        source.putBytes(0, image, 0, image.capacity());
        final int total = NodeLayout.count(source) + 1;
        final int promote = balancedPromotion(source, at, fresh, total);
        final int level0 = NodeLayout.level(source);
        final boolean isRoot = node.pageId() == tree.rootPage();
        final MutableDirectBuffer left = isRoot ? smo.create(NodeLayout.TYPE_INNER) : image;
        final MutableDirectBuffer right = smo.create(NodeLayout.TYPE_INNER);
        NodeLayout.init(left, level0, tree.id(), NodeLayout.link(source));
        NodeLayout.init(right, level0, tree.id(), virtualChild(source, at, fresh, promote));
        for (int v = 0; v < total; v++)
        {
            if (v != promote)
            {
                appendVirtual(v < promote ? left : right, source, at, fresh, v, scratch);
            }
        }
        copyVirtualKey(source, at, fresh, promote, scratch);
        final long rightId = smo.pageIdOf(right);
        if (isRoot)
        {
            NodeLayout.init(image, level0 + 1, tree.id(), smo.pageIdOf(left));
            insertChild(image, 0, scratch, rightId);
        }
        else
        {
            insertSeparator(tree, path, level - 1, rightId, scratch);
        }
    }

    private static void insertChild(final MutableDirectBuffer image, final int at, final Scratch scratch,
        final long child)
    {
        scratch.child.putLong(0, child);
        NodeLayout.insert(image, at, scratch.separator, 0, scratch.separatorLength, scratch.child, 0,
            NodeLayout.CHILD_LENGTH, scratch.compact);
    }

    /** @return the split point of a leaf: entries before it stay, the rest move; both sides non-empty. */
    private static int balancedSplit(final DirectBuffer body)
    {
        final int count = NodeLayout.count(body);
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            total += NodeLayout.SLOT_LENGTH + NodeLayout.entryLength(body, NodeLayout.entryOffset(body, i));
        }
        int left = 0;
        for (int i = 0; i < count - 1; i++)
        {
            left += NodeLayout.SLOT_LENGTH + NodeLayout.entryLength(body, NodeLayout.entryOffset(body, i));
            if (left * 2 >= total)
            {
                return i + 1;
            }
        }
        return count - 1;
    }

    /** @return the virtual index to promote so that the larger side is as small as can be. */
    private static int balancedPromotion(final DirectBuffer source, final int at, final DirectBuffer fresh,
        final int total)
    {
        int sum = 0;
        for (int v = 0; v < total; v++)
        {
            sum += NodeLayout.SLOT_LENGTH + virtualLength(source, at, fresh, v);
        }
        int best = 0;
        int bestCost = Integer.MAX_VALUE;
        int before = 0;
        for (int v = 0; v < total; v++)
        {
            final int own = NodeLayout.SLOT_LENGTH + virtualLength(source, at, fresh, v);
            final int cost = Math.max(before, sum - before - own);
            if (cost < bestCost)
            {
                bestCost = cost;
                best = v;
            }
            before += own;
        }
        return best;
    }

    private static int virtualLength(final DirectBuffer source, final int at, final DirectBuffer fresh, final int v)
    {
        if (v == at)
        {
            return NodeLayout.entryLength(fresh, 0);
        }
        return NodeLayout.entryLength(source, NodeLayout.entryOffset(source, v < at ? v : v - 1));
    }

    private static long virtualChild(final DirectBuffer source, final int at, final DirectBuffer fresh, final int v)
    {
        if (v == at)
        {
            return fresh.getLong(NodeLayout.payloadOffset(fresh, 0));
        }
        return NodeLayout.child(source, v < at ? v : v - 1);
    }

    private static void appendVirtual(final MutableDirectBuffer to, final DirectBuffer source, final int at,
        final DirectBuffer fresh, final int v, final Scratch scratch)
    {
        if (v == at)
        {
            final int keyLength = NodeLayout.keyLength(fresh, 0);
            NodeLayout.insert(to, NodeLayout.count(to), fresh, NodeLayout.keyOffset(0), keyLength, fresh,
                NodeLayout.keyOffset(0) + keyLength, NodeLayout.CHILD_LENGTH, scratch.compact);
        }
        else
        {
            NodeLayout.append(to, source, v < at ? v : v - 1, scratch.compact);
        }
    }

    private static void copyVirtualKey(final DirectBuffer source, final int at, final DirectBuffer fresh,
        final int v, final Scratch scratch)
    {
        final DirectBuffer from = v == at ? fresh : source;
        final int entry = v == at ? 0 : NodeLayout.entryOffset(source, v < at ? v : v - 1);
        final int length = NodeLayout.keyLength(from, entry);
        scratch.separator.putBytes(0, from, NodeLayout.keyOffset(entry), length);
        scratch.separatorLength = length;
    }

    private static void copyEntries(final DirectBuffer source, final int from, final int to,
        final MutableDirectBuffer target, final Scratch scratch)
    {
        for (int i = from; i < to; i++)
        {
            NodeLayout.append(target, source, i, scratch.compact);
        }
    }

    private static void separator(final Scratch scratch, final DirectBuffer lowBody, final int lowEntry,
        final DirectBuffer highBody, final int highEntry)
    {
        separator(scratch, lowBody, NodeLayout.keyOffset(lowEntry), NodeLayout.keyLength(lowBody, lowEntry),
            highBody, NodeLayout.keyOffset(highEntry), NodeLayout.keyLength(highBody, highEntry));
    }

    /**
     * Writes to {@code scratch.separator} the shortest prefix of {@code high} that is above {@code low}: keys below
     * it go left, keys at or above it go right.
     */
    private static void separator(final Scratch scratch, final DirectBuffer low, final int lowOffset,
        final int lowLength, final DirectBuffer high, final int highOffset, final int highLength)
    {
        int common = 0;
        final int limit = Math.min(lowLength, highLength);
        while (common < limit && low.getByte(lowOffset + common) == high.getByte(highOffset + common))
        {
            common++;
        }
        final int length = Math.min(common + 1, highLength);
        scratch.separator.putBytes(0, high, highOffset, length);
        scratch.separatorLength = length;
    }

    // ---------------------------------------------------------------------------------------------- merge

    /**
     * Merges the underfull leaf that covers {@code key} with a sibling when both fit one page, then its parent the
     * same way, up to the root; a root left with one child takes over the child's entries.
     */
    void rebalance(final BTree tree, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final Scratch scratch = store.scratch();
        final SmoBatch smo = scratch.smo;
        final PageHandle[] path = new PageHandle[MAX_DEPTH];
        final int[] slots = new int[MAX_DEPTH];
        final PageHandle[] extra = new PageHandle[MAX_DEPTH * 2];
        int depth = 0;
        int extras = 0;
        try
        {
            path[depth++] = pages.pin(tree.rootPage(), LatchMode.EXCLUSIVE);
            while (NodeLayout.level(path[depth - 1].body()) > 0)
            {
                final MutableDirectBuffer body = path[depth - 1].body();
                final int slot = NodeLayout.childIndex(body, key, keyOffset, keyLength);
                slots[depth] = slot;
                path[depth++] = pages.pin(slot < 0 ? NodeLayout.link(body) : NodeLayout.child(body, slot),
                    LatchMode.EXCLUSIVE);
            }
            boolean changed = false;
            for (int level = depth - 1; level > 0; level--)
            {
                final PageHandle node = path[level];
                if (NodeLayout.used(smo.current(node)) >= tree.limits().underflow)
                {
                    break;
                }
                final MutableDirectBuffer parent = smo.current(path[level - 1]);
                final int slot = slots[level];
                final PageHandle left;
                final PageHandle right;
                final int separatorIndex;
                if (slot + 1 < NodeLayout.count(parent))
                {
                    left = node;
                    right = pages.pin(NodeLayout.child(parent, slot + 1), LatchMode.EXCLUSIVE);
                    extra[extras++] = right;
                    separatorIndex = slot + 1;
                }
                else if (slot >= 0)
                {
                    final long leftId = slot == 0 ? NodeLayout.link(parent) : NodeLayout.child(parent, slot - 1);
                    final long nodeId = node.pageId();
                    if (level == depth - 1)
                    {
                        // a leaf: let go of it before latching its left sibling, as cursors go left to right
                        path[level] = null;
                        node.close();
                        left = pages.pin(leftId, LatchMode.EXCLUSIVE);
                        extra[extras++] = left;
                        right = pages.pin(nodeId, LatchMode.EXCLUSIVE);
                        path[level] = right;
                    }
                    else
                    {
                        left = pages.pin(leftId, LatchMode.EXCLUSIVE);
                        extra[extras++] = left;
                        right = node;
                    }
                    separatorIndex = slot;
                }
                else
                {
                    break;
                }
                if (!merge(tree, path[level - 1], left, right, separatorIndex, scratch))
                {
                    break;
                }
                changed = true;
            }
            changed |= collapseRoot(tree, path[0], scratch);
            if (changed)
            {
                smo.commit(wal, scratch.record);
            }
            else
            {
                smo.abandon();
            }
        }
        catch (final RuntimeException ex)
        {
            smo.abandon();
            throw ex;
        }
        finally
        {
            release(extra, extras);
            release(path, depth);
        }
    }

    /** Moves everything of {@code right} into {@code left} when it fits, and drops right's separator. */
    private boolean merge(final BTree tree, final PageHandle parentHandle, final PageHandle leftHandle,
        final PageHandle rightHandle, final int separatorIndex, final Scratch scratch)
    {
        final SmoBatch smo = scratch.smo;
        final MutableDirectBuffer parent = smo.current(parentHandle);
        final DirectBuffer leftNow = smo.current(leftHandle);
        final DirectBuffer rightNow = smo.current(rightHandle);
        final boolean leaf = NodeLayout.level(leftNow) == 0;
        final int separatorEntry = NodeLayout.entryOffset(parent, separatorIndex);
        final int separatorLength = NodeLayout.keyLength(parent, separatorEntry);
        final int needed = NodeLayout.used(leftNow) + NodeLayout.used(rightNow)
            + (leaf ? 0 : NodeLayout.entrySpace(separatorLength, NodeLayout.CHILD_LENGTH));
        if (needed > tree.limits().capacity)
        {
            return false;
        }
        final MutableDirectBuffer left = smo.edit(leftHandle);
        final MutableDirectBuffer right = smo.current(rightHandle);
        final MutableDirectBuffer parentImage = smo.edit(parentHandle);
        if (!leaf)
        {
            scratch.separator.putBytes(0, parentImage, NodeLayout.keyOffset(separatorEntry), separatorLength);
            scratch.separatorLength = separatorLength;
            insertChild(left, NodeLayout.count(left), scratch, NodeLayout.link(right));
        }
        copyEntries(right, 0, NodeLayout.count(right), left, scratch);
        if (leaf)
        {
            NodeLayout.link(left, NodeLayout.link(right));
        }
        NodeLayout.remove(parentImage, separatorIndex);
        smo.forget(rightHandle);
        smo.free(rightHandle.pageId());
        return true;
    }

    /** An inner root with no separator left takes over its only child. */
    private boolean collapseRoot(final BTree tree, final PageHandle root, final Scratch scratch)
    {
        final SmoBatch smo = scratch.smo;
        final DirectBuffer now = smo.current(root);
        if (NodeLayout.level(now) == 0 || NodeLayout.count(now) > 0)
        {
            return false;
        }
        final PageHandle child = pages.pin(NodeLayout.link(now), LatchMode.EXCLUSIVE);
        try
        {
            final DirectBuffer childNow = smo.current(child);
            final MutableDirectBuffer rootImage = smo.edit(root);
            rootImage.putBytes(0, childNow, 0, childNow.capacity());
            NodeLayout.compact(rootImage, scratch.compact);
            smo.type(rootImage, NodeLayout.level(rootImage) == 0 ? NodeLayout.TYPE_LEAF : NodeLayout.TYPE_INNER);
            smo.free(child.pageId());
            smo.forget(child);
        }
        finally
        {
            child.close();
        }
        return true;
    }

    private static void release(final PageHandle[] handles, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (handles[i] != null)
            {
                handles[i].close();
                handles[i] = null;
            }
        }
    }
}
