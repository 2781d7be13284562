package dev.tidemark.mvcc;

import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Working buffers of one writing thread: log records are built here, chains are rebuilt here, nodes are
 * compacted through here. Kept per thread by the store so that writes allocate nothing once warm.
 */
final class Scratch
{
    final UnsafeBuffer compact;
    final UnsafeBuffer copy;
    final ExpandableDirectByteBuffer record = new ExpandableDirectByteBuffer(4096);
    final ExpandableDirectByteBuffer chain = new ExpandableDirectByteBuffer(1024);
    final ExpandableDirectByteBuffer oldChain = new ExpandableDirectByteBuffer(1024);
    final ExpandableDirectByteBuffer combined = new ExpandableDirectByteBuffer(1024);
    final ExpandableDirectByteBuffer version = new ExpandableDirectByteBuffer(256);
    final ExpandableDirectByteBuffer marker = new ExpandableDirectByteBuffer(ChainLayout.SPILLED_LENGTH);
    final EntryRecord entryRecord = new EntryRecord();
    final ExpandableDirectByteBuffer separator = new ExpandableDirectByteBuffer(NodeLayout.MAX_KEY_LENGTH + 16);
    final ExpandableDirectByteBuffer newEntry = new ExpandableDirectByteBuffer(NodeLayout.MAX_KEY_LENGTH + 16);
    final UnsafeBuffer child = new UnsafeBuffer(new byte[Long.BYTES]);
    final LongArrayList toFree = new LongArrayList();
    final ExpandableDirectByteBuffer gcKey = new ExpandableDirectByteBuffer(NodeLayout.MAX_KEY_LENGTH);
    final ChainView chainView = new ChainView();
    /** The caller's key, wrapped without a copy, for the byte[] entry points of a tree. */
    final UnsafeBuffer keyView = new UnsafeBuffer(0, 0);
    /** Where a byte[] get copies the value before it makes the array it returns. */
    final org.agrona.ExpandableArrayBuffer value = new org.agrona.ExpandableArrayBuffer();
    int separatorLength;
    final SmoBatch smo;

    Scratch(final PageStore pages)
    {
        this.compact = new UnsafeBuffer(new byte[pages.bodySize()]);
        this.copy = new UnsafeBuffer(new byte[pages.bodySize()]);
        this.smo = new SmoBatch(pages);
    }
}
