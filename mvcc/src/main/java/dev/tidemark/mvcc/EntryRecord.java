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
    /** Written by this build; {@link #VERSION_1} records (no kept-tail field, whole chains) are still read. */
    static final int VERSION = 2;
    static final int VERSION_1 = 1;
    static final int KIND_UPDATE = 1;
    static final int KIND_COMPENSATION = 2;
    static final int KIND_SYSTEM = 3;
    static final int REMOVED = -1;
    /** No search hint for {@link #redo(MutableDirectBuffer, MutableDirectBuffer, int)}: never a search result. */
    static final int NO_HINT = Integer.MIN_VALUE;

    static final int HEADER_LENGTH = 56;
    private static final int VERSION_1_HEADER_LENGTH = 52;
    private static final int KIND_OFFSET = 1;
    private static final int KEY_LENGTH_OFFSET = 2;
    private static final int CHAIN_LENGTH_OFFSET = 4;
    private static final int TXN_OFFSET = 8;
    private static final int PREV_LSN_OFFSET = 16;
    private static final int UNDO_NEXT_OFFSET = 24;
    private static final int TREE_OFFSET = 32;
    private static final int PAGE_OFFSET = 40;
    private static final int PUSHED_LENGTH_OFFSET = 48;
    private static final int KEPT_TAIL_OFFSET = 52;

    private DirectBuffer buffer;
    private int offset;
    private int headerLength;

    EntryRecord wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        final int version = length > 0 ? buffer.getByte(offset) & 0xFF : -1;
        final int header = version == VERSION ? HEADER_LENGTH : VERSION_1_HEADER_LENGTH;
        if (length < header || version != VERSION && version != VERSION_1)
        {
            throw new RedoMismatchException("tree entry record of " + length + " bytes, version " + version
                + ", is not one this build reads");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.headerLength = header;
        return this;
    }

    /**
     * Writes the header and key; the caller writes the chain at {@code HEADER_LENGTH + keyLength} and the pushed
     * version after it. {@code keptTail} &gt; 0: the chain after the change is the logged chain followed by that
     * many bytes from the start of the versions of the entry's inline chain before it.
     */
    static int writeHeader(final MutableDirectBuffer to, final int kind, final long txn, final long prevLsn,
        final long undoNextLsn, final long treeId, final long pageId, final DirectBuffer key, final int keyOffset,
        final int keyLength, final int chainLength, final int pushedLength, final int keptTail)
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
        to.putInt(KEPT_TAIL_OFFSET, keptTail);
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
        return offset + headerLength;
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

    /** @return the bytes of the old inline chain's versions that follow the logged chain; 0 in version 1 */
    int keptTail()
    {
        return headerLength == HEADER_LENGTH ? buffer.getInt(offset + KEPT_TAIL_OFFSET) : 0;
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
        final int keptTail = keptTail();
        if (keptTail != 0)
        {
            redoKeptTail(body, scratch, index, entry, chainLength, keptTail);
            return;
        }
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
        requireRoom(body, keyLength, chainLength);
        NodeLayout.insert(body, at, buffer, keyOffset(), keyLength, buffer, chainOffset(), chainLength, scratch);
    }

    /**
     * Redo of a record whose chain continues with the first {@code keptTail} version bytes of the entry's inline
     * chain: a push (the logged chain is the form byte and the new version) or a prune (the form byte alone) keeps
     * a prefix of the old versions, which the page already holds and the log does not repeat.
     */
    private void redoKeptTail(final MutableDirectBuffer body, final MutableDirectBuffer scratch, final int index,
        final int entry, final int chainLength, final int keptTail)
    {
        if (index < 0 || chainLength < 1 || keptTail < 0
            || ChainLayout.form(buffer, chainOffset()) != ChainLayout.FORM_INLINE)
        {
            throw new RedoMismatchException("log record keeps " + keptTail + " bytes of the chain of a key that page "
                + pageId() + " of tree " + treeId() + (index < 0 ? " does not hold" : " with a chain of "
                + chainLength + " bytes"));
        }
        final int payload = NodeLayout.payloadOffset(body, entry);
        final int oldLength = NodeLayout.payloadLength(body, entry);
        if (ChainLayout.form(body, payload) != ChainLayout.FORM_INLINE || oldLength - 1 < keptTail)
        {
            throw new RedoMismatchException("log record keeps " + keptTail + " bytes of an inline chain; page "
                + pageId() + " of tree " + treeId() + " holds a chain of " + oldLength + " bytes in form "
                + ChainLayout.form(body, payload));
        }
        final int newLength = chainLength + keptTail;
        if (newLength == oldLength)
        {
            // the steady update: the kept versions move up behind the new one, inside the entry
            body.putBytes(payload + chainLength, body, payload + 1, keptTail);
            body.putBytes(payload, buffer, chainOffset(), chainLength);
            return;
        }
        // Built at the start of the scratch, which a compaction by the insert does not reach: it writes only from
        // the new heap start up, and the room checked below puts that start above the slots and the whole entry.
        scratch.putBytes(0, buffer, chainOffset(), chainLength);
        scratch.putBytes(chainLength, body, payload + 1, keptTail);
        NodeLayout.remove(body, index);
        final int keyLength = keyLength();
        requireRoom(body, keyLength, newLength);
        NodeLayout.insert(body, index, buffer, keyOffset(), keyLength, scratch, 0, newLength, scratch);
    }

    private void requireRoom(final MutableDirectBuffer body, final int keyLength, final int chainLength)
    {
        if (NodeLayout.available(body) < NodeLayout.entrySpace(keyLength, chainLength))
        {
            throw new RedoMismatchException("log record sets an entry of " + chainLength + " bytes that page "
                + pageId() + " of tree " + treeId() + " has no room for");
        }
    }
}
