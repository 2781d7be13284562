package dev.tidemark.mvcc;

import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

/** Lists every page of a tree: its nodes and the overflow chains its entries refer to (for a drop). */
final class TreePages
{
    private final MvccStore store;

    TreePages(final MvccStore store)
    {
        this.store = store;
    }

    void collect(final BTree tree, final LongArrayList into)
    {
        node(tree.rootPage(), into);
    }

    private void node(final long pageId, final LongArrayList into)
    {
        into.addLong(pageId);
        final LongArrayList children = new LongArrayList();
        try (PageHandle handle = store.pages().pin(pageId, LatchMode.SHARED))
        {
            final MutableDirectBuffer body = handle.body();
            final int count = NodeLayout.count(body);
            if (NodeLayout.level(body) > 0)
            {
                children.addLong(NodeLayout.link(body));
                for (int i = 0; i < count; i++)
                {
                    children.addLong(NodeLayout.child(body, i));
                }
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    entry(body, NodeLayout.entryOffset(body, i), into);
                }
            }
        }
        for (int i = 0; i < children.size(); i++)
        {
            node(children.getLong(i), into);
        }
    }

    private void entry(final MutableDirectBuffer body, final int entry, final LongArrayList into)
    {
        final int payload = NodeLayout.payloadOffset(body, entry);
        final org.agrona.DirectBuffer versions;
        final int offset;
        final int length;
        if (ChainLayout.form(body, payload) == ChainLayout.FORM_SPILLED)
        {
            final long first = ChainLayout.spilledFirstPage(body, payload);
            store.overflow().collect(first, into);
            final org.agrona.ExpandableArrayBuffer chain = new org.agrona.ExpandableArrayBuffer(256);
            length = store.overflow().read(first, chain, 0);
            versions = chain;
            offset = 0;
        }
        else
        {
            versions = body;
            offset = payload + 1;
            length = NodeLayout.payloadLength(body, entry) - 1;
        }
        for (int at = offset; at < offset + length; at += ChainLayout.versionLength(versions, at))
        {
            if (ChainLayout.isOverflow(versions, at))
            {
                store.overflow().collect(ChainLayout.overflowPage(versions, at), into);
            }
        }
    }
}
