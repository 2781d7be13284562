package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The {@link LogRecordTypes#TREE_ENTRY} record: sets (or removes) the entry of one key in one leaf page. It is the
 * physiological redo of every row change and carries the logical undo (which transaction, which key): an
 * {@link #KIND_UPDATE} pushed a version that undo pops again, wherever the key lives by then, and logs the pop as
 * a {@link #KIND_COMPENSATION} whose undo-next LSN skips what was undone. {@link #KIND_SYSTEM} changes (garbage
 * collection) are redo-only.
 *
 * <pre>
 *   0       1       2               4                               8
 *  +-------+-------+---------------+-------------------------------+
 *  |Version| Kind  |  Key Length   |  Chain Length (-1 = removed)  |  0
 *  +-------+-------+---------------+-------------------------------+
 *  |                        Transaction Id                         |  8
 *  |                           Prev LSN                            | 16
 *  |                   Undo-Next LSN (compensation)                | 24
 *  |                            Tree Id                            | 32
 *  |                            Page Id                            | 40
 *  +-------------------------------+-------------------------------+
 *  |    Pushed Version Length      |  key, chain, pushed version  ... 48
 *  +-------------------------------+
 * </pre>
 *
 * The chain is the entry's whole version chain after the change ({@link ChainLayout}); when it is inline its head
 * is the pushed version and the pushed-version field is empty, when it is spilled the pushed version follows, so
 * that the log always holds the key and the new value (or tombstone) of a change.
 */
final class EntryRecord
{
    static final int VERSION = 1;
    static final int KIND_UPDATE = 1;
    static final int KIND_COMPENSATION = 2;
    static final int KIND_SYSTEM = 3;
    static final int REMOVED = -1;
    /** No search hint for {@link #redo(MutableDirectBuffer, MutableDirectBuffer, int)}: never a search result. */
    static final int NO_HINT = Integer.MIN_VALUE;

    static final int HEADER_LENGTH = 52;
    private static final int KIND_OFFSET = 1;
    private static final int KEY_LENGTH_OFFSET = 2;
    private static final int CHAIN_LENGTH_OFFSET = 4;
    private static final int TXN_OFFSET = 8;
    private static final int PREV_LSN_OFFSET = 16;
    private static final int UNDO_NEXT_OFFSET = 24;
    private static final int TREE_OFFSET = 32;
    private static final int PAGE_OFFSET = 40;
    private static final int PUSHED_LENGTH_OFFSET = 48;

    private DirectBuffer buffer;
    private int offset;

    EntryRecord wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || (buffer.getByte(offset) & 0xFF) != VERSION)
        {
            throw new RedoMismatchException("tree entry record of " + length + " bytes, version "
                + (length > 0 ? buffer.getByte(offset) & 0xFF : -1) + ", is not one this build reads");
        }
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** Writes the header and key; the caller writes the chain at {@link #chainOffset} and the pushed version. */
    static int writeHeader(final MutableDirectBuffer to, final int kind, final long txn, final long prevLsn,
        final long undoNextLsn, final long treeId, final long pageId, final DirectBuffer key, final int keyOffset,
        final int keyLength, final int chainLength, final int pushedLength)
    {
        to.putByte(0, (byte)VERSION);
        to.putByte(KIND_OFFSET, (byte)kind);
        to.putShort(KEY_LENGTH_OFFSET, (short)keyLength);
        to.putInt(CHAIN_LENGTH_OFFSET, chainLength);
        to.putLong(TXN_OFFSET, txn);
        to.putLong(PREV_LSN_OFFSET, prevLsn);
        to.putLong(UNDO_NEXT_OFFSET, undoNextLsn);
        to.putLong(TREE_OFFSET, treeId);
        to.putLong(PAGE_OFFSET, pageId);
        to.putInt(PUSHED_LENGTH_OFFSET, pushedLength);
        to.putBytes(HEADER_LENGTH, key, keyOffset, keyLength);
        return HEADER_LENGTH + keyLength + Math.max(chainLength, 0) + pushedLength;
    }

    int kind()
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    int keyLength()
    {
        return buffer.getShort(offset + KEY_LENGTH_OFFSET) & 0xFFFF;
    }

    int keyOffset()
    {
        return offset + HEADER_LENGTH;
    }

    int chainLength()
    {
        return buffer.getInt(offset + CHAIN_LENGTH_OFFSET);
    }

    int chainOffset()
    {
        return keyOffset() + keyLength();
    }

    int pushedLength()
    {
        return buffer.getInt(offset + PUSHED_LENGTH_OFFSET);
    }

    int pushedOffset()
    {
        return chainOffset() + Math.max(chainLength(), 0);
    }

    long txn()
    {
        return buffer.getLong(offset + TXN_OFFSET);
    }

    long prevLsn()
    {
        return buffer.getLong(offset + PREV_LSN_OFFSET);
    }

    long undoNextLsn()
    {
        return buffer.getLong(offset + UNDO_NEXT_OFFSET);
    }

    long treeId()
    {
        return buffer.getLong(offset + TREE_OFFSET);
    }

    long pageId()
    {
        return buffer.getLong(offset + PAGE_OFFSET);
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Redo: applies the change to the body of the leaf it names. The caller checked the page LSN (a change is
     * applied once) and sets it afterwards.
     */
    void redo(final MutableDirectBuffer body, final MutableDirectBuffer scratch)
    {
        redo(body, scratch, NO_HINT);
    }

    /**
     * Redo, given where the writer, holding the leaf's latch since, found the key: {@code searched} is what
     * {@link NodeLayout#search} returned for it, or {@link #NO_HINT}. The hint is checked against the keys around
     * it and searched again when it does not hold, so a wrong one costs a search and never a wrong change.
     */
    void redo(final MutableDirectBuffer body, final MutableDirectBuffer scratch, final int searched)
    {
        if (NodeLayout.level(body) != 0 || NodeLayout.treeId(body) != treeId())
        {
            throw new RedoMismatchException("page " + pageId() + " is not a leaf of tree " + treeId()
                + " as the log record says (level " + NodeLayout.level(body) + ", tree "
                + NodeLayout.treeId(body) + ")");
        }
        final int keyLength = keyLength();
        final int index = searched != NO_HINT && NodeLayout.holdsSearch(body, buffer, keyOffset(), keyLength, searched)
            ? searched : NodeLayout.search(body, buffer, keyOffset(), keyLength);
        final int chainLength = chainLength();
        final int entry = index >= 0 ? NodeLayout.entryOffset(body, index) : -1;
        if (entry >= 0 && chainLength != REMOVED && NodeLayout.payloadLength(body, entry) == chainLength)
        {
            // the common update (a new version replaces one no snapshot needs any more): same length, same place
            NodeLayout.replacePayload(body, entry, buffer, chainOffset(), chainLength);
            return;
        }
        int at = index;
        if (index >= 0)
        {
            NodeLayout.remove(body, index);
        }
        else
        {
            at = -index - 1;
        }
        if (chainLength == REMOVED)
        {
            if (index < 0)
            {
                throw new RedoMismatchException("log record removes a key that page " + pageId() + " of tree "
                    + treeId() + " does not hold");
            }
            return;
        }
        if (NodeLayout.available(body) < NodeLayout.entrySpace(keyLength, chainLength))
        {
            throw new RedoMismatchException("log record sets an entry of " + chainLength + " bytes that page "
                + pageId() + " of tree " + treeId() + " has no room for");
        }
        NodeLayout.insert(body, at, buffer, keyOffset(), keyLength, buffer, chainOffset(), chainLength, scratch);
    }
}
