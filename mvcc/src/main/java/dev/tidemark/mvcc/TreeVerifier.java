package dev.tidemark.mvcc;

import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The full structural check behind {@link MvccStore#verify()}. For every tree: each page is a node of that tree at
 * the expected level, its slots and entries lie inside the body, its keys ascend strictly and lie within the
 * bounds its parent's separators give; all leaves are at one depth; the leaves' right links agree with an in-order
 * walk; version chains parse, hold uncommitted versions of at most one transaction and only at their head, and
 * committed versions in descending commit order; overflow chains hold the lengths their references claim. Over the
 * whole file: no page is reachable twice, no free page is reachable, every page is reachable or free, and (after
 * writing every dirty page) every page on disk passes its checksum and carries a page LSN at or below the durable
 * end of the log.
 *
 * <p>Run it while no writer is active: it latches one page at a time.
 */
final class TreeVerifier
{
    private final MvccStore store;
    private final PageStore pages;
    private final List<String> problems = new ArrayList<>();
    private final LongHashSet reachable = new LongHashSet();
    private final LongArrayList leaves = new LongArrayList();
    private final ExpandableArrayBuffer chain = new ExpandableArrayBuffer(256);
    private final LongArrayList chainPages = new LongArrayList();
    private final UnsafeBuffer noBound = new UnsafeBuffer(new byte[0]);
    private long treePages;
    private long overflowPages;
    private long entries;
    private long versions;
    private int leafDepth;

    TreeVerifier(final MvccStore store)
    {
        this.store = store;
        this.pages = store.pages();
    }

    VerifyReport verify()
    {
        final List<BTree> trees = store.trees();
        for (final BTree tree : trees)
        {
            leaves.clear();
            leafDepth = -1;
            node(tree, tree.rootPage(), -1, 0, noBound, -1, noBound, -1);
            checkLinks(tree);
        }
        long free = 0;
        for (long pageId = pages.firstDataPage(); pageId < pages.pageCount(); pageId++)
        {
            final boolean isFree = pages.isFree(pageId);
            free += isFree ? 1 : 0;
            if (isFree && reachable.contains(pageId))
            {
                problems.add("page " + pageId + " is on the free list and reachable");
            }
            else if (!isFree && !reachable.contains(pageId))
            {
                problems.add("page " + pageId + " is neither reachable nor free (leaked)");
            }
        }
        pages.flushAll();
        pages.checkDisk(store.wal().durableLsn(), problems::add);
        return new VerifyReport(problems, trees.size(), treePages, overflowPages, entries, versions, free);
    }

    private void node(final BTree tree, final long pageId, final int expectedLevel, final int depth,
        final DirectBuffer low, final int lowLength, final DirectBuffer high, final int highLength)
    {
        if (!reach(pageId, tree))
        {
            return;
        }
        treePages++;
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[pages.bodySize()]);
        try (PageHandle handle = pages.pin(pageId, LatchMode.SHARED))
        {
            final int type = handle.pageType();
            copy.putBytes(0, handle.body(), 0, copy.capacity());
            if (type != NodeLayout.TYPE_LEAF && type != NodeLayout.TYPE_INNER)
            {
                problems.add(where(tree, pageId) + "has page type " + type + ", not a tree node");
                return;
            }
            if ((type == NodeLayout.TYPE_LEAF) != (NodeLayout.level(copy) == 0))
            {
                problems.add(where(tree, pageId) + "has page type " + type + " but level " + NodeLayout.level(copy));
            }
        }
        final int level = NodeLayout.level(copy);
        if (NodeLayout.treeId(copy) != tree.id() || expectedLevel >= 0 && level != expectedLevel
            || NodeLayout.version(copy) != NodeLayout.VERSION)
        {
            problems.add(where(tree, pageId) + "belongs to tree " + NodeLayout.treeId(copy) + " at level " + level
                + " (layout " + NodeLayout.version(copy) + "); expected level " + expectedLevel);
            return;
        }
        if (!layout(tree, pageId, copy) || !order(tree, pageId, copy, low, lowLength, high, highLength))
        {
            return;
        }
        if (level == 0)
        {
            if (leafDepth < 0)
            {
                leafDepth = depth;
            }
            else if (leafDepth != depth)
            {
                problems.add(where(tree, pageId) + "is a leaf at depth " + depth + "; other leaves are at "
                    + leafDepth);
            }
            leaves.addLong(pageId);
            for (int i = 0; i < NodeLayout.count(copy); i++)
            {
                entry(tree, pageId, copy, NodeLayout.entryOffset(copy, i));
            }
            return;
        }
        final int count = NodeLayout.count(copy);
        for (int i = -1; i < count; i++)
        {
            final int lowEntry = i < 0 ? -1 : NodeLayout.entryOffset(copy, i);
            final int highEntry = i + 1 < count ? NodeLayout.entryOffset(copy, i + 1) : -1;
            final DirectBuffer childLow = lowEntry < 0 ? low : copy;
            final int childLowOffset = lowEntry < 0 ? 0 : NodeLayout.keyOffset(lowEntry);
            final int childLowLength = lowEntry < 0 ? lowLength : NodeLayout.keyLength(copy, lowEntry);
            final DirectBuffer childHigh = highEntry < 0 ? high : copy;
            final int childHighOffset = highEntry < 0 ? 0 : NodeLayout.keyOffset(highEntry);
            final int childHighLength = highEntry < 0 ? highLength : NodeLayout.keyLength(copy, highEntry);
            final long child = i < 0 ? NodeLayout.link(copy) : NodeLayout.child(copy, i);
            node(tree, child, level - 1, depth + 1, slice(childLow, childLowOffset, childLowLength), childLowLength,
                slice(childHigh, childHighOffset, childHighLength), childHighLength);
        }
    }

    private static DirectBuffer slice(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 0)
        {
            return buffer;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new UnsafeBuffer(bytes);
    }

    private boolean layout(final BTree tree, final long pageId, final DirectBuffer body)
    {
        final int heap = NodeLayout.heapStart(body);
        if (heap < NodeLayout.slotsEnd(body) || heap > body.capacity())
        {
            problems.add(where(tree, pageId) + "has slots up to " + NodeLayout.slotsEnd(body) + " and its heap at "
                + heap);
            return false;
        }
        int live = 0;
        for (int i = 0; i < NodeLayout.count(body); i++)
        {
            final int entry = NodeLayout.entryOffset(body, i);
            if (entry < heap || entry + NodeLayout.ENTRY_HEADER_LENGTH > body.capacity()
                || entry + NodeLayout.entryLength(body, entry) > body.capacity())
            {
                problems.add(where(tree, pageId) + "has entry " + i + " at " + entry + " outside its heap");
                return false;
            }
            live += NodeLayout.entryLength(body, entry);
            if (NodeLayout.slotHead(body, i) != NodeLayout.head(body, NodeLayout.keyOffset(entry),
                NodeLayout.keyLength(body, entry)))
            {
                problems.add(where(tree, pageId) + "has slot " + i + " with a key head that is not its key's");
                return false;
            }
        }
        if (live + NodeLayout.garbage(body) != body.capacity() - heap)
        {
            problems.add(where(tree, pageId) + "has " + live + " live and " + NodeLayout.garbage(body)
                + " garbage bytes in a heap of " + (body.capacity() - heap));
        }
        return true;
    }

    private boolean order(final BTree tree, final long pageId, final DirectBuffer body, final DirectBuffer low,
        final int lowLength, final DirectBuffer high, final int highLength)
    {
        for (int i = 0; i < NodeLayout.count(body); i++)
        {
            final int entry = NodeLayout.entryOffset(body, i);
            final int keyOffset = NodeLayout.keyOffset(entry);
            final int keyLength = NodeLayout.keyLength(body, entry);
            if (i > 0)
            {
                final int previous = NodeLayout.entryOffset(body, i - 1);
                if (NodeLayout.compare(body, NodeLayout.keyOffset(previous), NodeLayout.keyLength(body, previous),
                    body, keyOffset, keyLength) >= 0)
                {
                    problems.add(where(tree, pageId) + "has keys out of order at slot " + i);
                    return false;
                }
            }
            if (lowLength >= 0 && NodeLayout.compare(body, keyOffset, keyLength, low, 0, lowLength) < 0
                || highLength >= 0 && NodeLayout.compare(body, keyOffset, keyLength, high, 0, highLength) >= 0)
            {
                problems.add(where(tree, pageId) + "has a key at slot " + i + " outside the separators that bound it");
                return false;
            }
        }
        return true;
    }

    private void entry(final BTree tree, final long pageId, final MutableDirectBuffer body, final int entry)
    {
        entries++;
        final int payload = NodeLayout.payloadOffset(body, entry);
        DirectBuffer chainBytes = body;
        int offset = payload + 1;
        int length = NodeLayout.payloadLength(body, entry) - 1;
        if (ChainLayout.form(body, payload) == ChainLayout.FORM_SPILLED)
        {
            final long first = ChainLayout.spilledFirstPage(body, payload);
            if (!overflow(tree, pageId, first, ChainLayout.spilledLength(body, payload)))
            {
                return;
            }
            length = store.overflow().read(first, chain, 0);
            chainBytes = chain;
            offset = 0;
        }
        else if (ChainLayout.form(body, payload) != ChainLayout.FORM_INLINE)
        {
            problems.add(where(tree, pageId) + "has an entry of unknown chain form " + ChainLayout.form(body, payload));
            return;
        }
        chain(tree, pageId, chainBytes, offset, length);
    }

    private void chain(final BTree tree, final long pageId, final DirectBuffer chainBytes, final int offset,
        final int length)
    {
        final CommitTable commits = store.commits();
        long uncommittedWriter = -1;
        boolean seenCommitted = false;
        long lastCommit = Long.MAX_VALUE;
        int at = offset;
        if (length <= 0)
        {
            problems.add(where(tree, pageId) + "has an entry without versions");
        }
        while (at < offset + length)
        {
            versions++;
            final long txn = ChainLayout.txn(chainBytes, at);
            final long commit = txn == CommitTable.SYSTEM_TRANSACTION ? 0 : commits.commitTimestamp(txn);
            if (commit == CommitTable.NOT_COMMITTED)
            {
                if (seenCommitted || uncommittedWriter >= 0 && uncommittedWriter != txn)
                {
                    problems.add(where(tree, pageId) + "has an uncommitted version of transaction " + txn
                        + " below another transaction's version");
                }
                uncommittedWriter = txn;
            }
            else
            {
                if (commit > lastCommit)
                {
                    problems.add(where(tree, pageId) + "has versions out of commit order (" + commit + " below "
                        + lastCommit + ")");
                }
                seenCommitted = true;
                lastCommit = commit;
            }
            if (ChainLayout.isOverflow(chainBytes, at))
            {
                overflow(tree, pageId, ChainLayout.overflowPage(chainBytes, at), ChainLayout.valueLength(chainBytes, at));
            }
            at += ChainLayout.versionLength(chainBytes, at);
        }
        if (at != offset + length)
        {
            problems.add(where(tree, pageId) + "has a version chain that overruns its " + length + " bytes");
        }
    }

    /** Marks an overflow chain reachable and checks its length. */
    private boolean overflow(final BTree tree, final long pageId, final long first, final int expectedLength)
    {
        chainPages.clear();
        try
        {
            store.overflow().collect(first, chainPages);
        }
        catch (final RuntimeException ex)
        {
            problems.add(where(tree, pageId) + "refers to a broken overflow chain at page " + first + ": "
                + ex.getMessage());
            return false;
        }
        for (int i = 0; i < chainPages.size(); i++)
        {
            if (!reach(chainPages.getLong(i), tree))
            {
                return false;
            }
            overflowPages++;
        }
        final int length = store.overflow().read(first, new ExpandableArrayBuffer(expectedLength), 0);
        if (length != expectedLength)
        {
            problems.add(where(tree, pageId) + "refers to an overflow chain at page " + first + " of " + length
                + " bytes; the reference says " + expectedLength);
            return false;
        }
        return true;
    }

    private boolean reach(final long pageId, final BTree tree)
    {
        if (pageId < pages.firstDataPage() || pageId >= pages.pageCount())
        {
            problems.add("tree " + tree.name() + " refers to page " + pageId + ", which is not a data page");
            return false;
        }
        if (!reachable.add(pageId))
        {
            problems.add("page " + pageId + " is reachable twice (again from tree " + tree.name() + ")");
            return false;
        }
        return true;
    }

    private void checkLinks(final BTree tree)
    {
        for (int i = 0; i < leaves.size(); i++)
        {
            final long expected = i + 1 < leaves.size() ? leaves.getLong(i + 1) : 0;
            final long link;
            try (PageHandle leaf = pages.pin(leaves.getLong(i), LatchMode.SHARED))
            {
                link = NodeLayout.link(leaf.body());
            }
            if (link != expected)
            {
                problems.add(where(tree, leaves.getLong(i)) + "links right to page " + link + "; the in-order walk "
                    + "says " + expected);
            }
        }
    }

    private static String where(final BTree tree, final long pageId)
    {
        return "page " + pageId + " of tree " + tree.name() + " ";
    }
}
