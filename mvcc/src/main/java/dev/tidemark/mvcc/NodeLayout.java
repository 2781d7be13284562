package dev.tidemark.mvcc;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of a B+tree node: the body of a {@link #TYPE_LEAF} or {@link #TYPE_INNER} page (little-endian,
 * offsets from the start of the body, after the 32-byte page header). Slots grow up from the node header, entries
 * grow down from the end of the body.
 *
 * <pre>
 *   0               2               4               6       7       8
 *  +---------------+---------------+---------------+-------+-------+
 *  |  Entry Count  |  Heap Start   | Garbage Bytes | Level |Version|  0
 *  +---------------+---------------+---------------+-------+-------+
 *  |                            Tree Id                            |  8
 *  +---------------------------------------------------------------+
 *  |     Link: right sibling (leaf, 0 = none) or leftmost child     | 16
 *  +---------------------------------------------------------------+
 *  |  Slot 0: offset (u16), head (u32) | Slot 1 ... free space ...  | 24
 *  |                   ... entries, heap start .. end of body      ...
 *  +---------------------------------------------------------------+
 *
 *  slot:   [u16 entry offset][u32 key head: the key's first 4 bytes, big-endian, zero-padded]
 *  entry:  [u16 key length][u16 payload length][key bytes][payload bytes]
 *  leaf payload:  a version chain ({@link ChainLayout})
 *  inner payload: [u64 child page id]; the child holds keys at or above this entry's key
 * </pre>
 *
 * Slots are in unsigned lexicographic key order. Keys of a leaf are unique. A slot carries its key's head, so
 * that a binary search compares heads inside the slot array and reads an entry's key only when the heads are
 * equal: a lookup brings about half as many of the node's cache lines in from memory. Heads order like their keys
 * (where two heads differ, so do the keys, the same way), so the head comparison alone decides unequal heads. A
 * change that keeps an entry's payload length rewrites the payload in place; any other change, or a removal,
 * leaves the old bytes as garbage, and a node is compacted (entries rewritten in slot order at the end of the
 * body) when an insert needs the garbage. Every change is deterministic, so replaying the same changes on the same bytes gives
 * the same bytes (redo relies on it).
 *
 * <p>Version rules: {@link #VERSION} is the layout version of tree pages; bump it when a field changes meaning,
 * size or place.
 */
final class NodeLayout
{
    static final int TYPE_LEAF = 16;
    static final int TYPE_INNER = 17;
    static final int VERSION = 2;

    static final int COUNT_OFFSET = 0;
    static final int HEAP_OFFSET = 2;
    static final int GARBAGE_OFFSET = 4;
    static final int LEVEL_OFFSET = 6;
    static final int VERSION_OFFSET = 7;
    static final int TREE_OFFSET = 8;
    static final int LINK_OFFSET = 16;
    static final int HEADER_LENGTH = 24;
    static final int SLOT_LENGTH = 6;
    /** Where a slot keeps its key head. */
    static final int SLOT_HEAD_OFFSET = 2;
    static final int HEAD_LENGTH = 4;
    static final int ENTRY_HEADER_LENGTH = 4;
    static final int CHILD_LENGTH = 8;

    static final int MAX_KEY_LENGTH = 2048;
    /** The largest inner entry, slot included: a longest key and a child id. */
    static final int MAX_INNER_ENTRY = SLOT_LENGTH + ENTRY_HEADER_LENGTH + MAX_KEY_LENGTH + CHILD_LENGTH;

    private NodeLayout()
    {
    }

    static void init(final MutableDirectBuffer body, final int level, final long treeId, final long link)
    {
        body.setMemory(0, body.capacity(), (byte)0);
        body.putShort(COUNT_OFFSET, (short)0);
        body.putShort(HEAP_OFFSET, (short)body.capacity());
        body.putShort(GARBAGE_OFFSET, (short)0);
        body.putByte(LEVEL_OFFSET, (byte)level);
        body.putByte(VERSION_OFFSET, (byte)VERSION);
        body.putLong(TREE_OFFSET, treeId);
        body.putLong(LINK_OFFSET, link);
    }

    /** @return the bytes a node body can give to slots and entries. */
    static int capacity(final int bodySize)
    {
        return bodySize - HEADER_LENGTH;
    }

    static int count(final DirectBuffer body)
    {
        return body.getShort(COUNT_OFFSET) & 0xFFFF;
    }

    static int heapStart(final DirectBuffer body)
    {
        return body.getShort(HEAP_OFFSET) & 0xFFFF;
    }

    static int garbage(final DirectBuffer body)
    {
        return body.getShort(GARBAGE_OFFSET) & 0xFFFF;
    }

    static int level(final DirectBuffer body)
    {
        return body.getByte(LEVEL_OFFSET) & 0xFF;
    }

    static int version(final DirectBuffer body)
    {
        return body.getByte(VERSION_OFFSET) & 0xFF;
    }

    static long treeId(final DirectBuffer body)
    {
        return body.getLong(TREE_OFFSET);
    }

    static long link(final DirectBuffer body)
    {
        return body.getLong(LINK_OFFSET);
    }

    static void link(final MutableDirectBuffer body, final long link)
    {
        body.putLong(LINK_OFFSET, link);
    }

    static int slotsEnd(final DirectBuffer body)
    {
        return HEADER_LENGTH + SLOT_LENGTH * count(body);
    }

    /** @return bytes free between the slots and the heap, without compaction. */
    static int gap(final DirectBuffer body)
    {
        return heapStart(body) - slotsEnd(body);
    }

    /** @return bytes available to a new entry and its slot after compaction. */
    static int available(final DirectBuffer body)
    {
        return gap(body) + garbage(body);
    }

    /** @return bytes in use by slots and live entries. */
    static int used(final DirectBuffer body)
    {
        return capacity(body.capacity()) - available(body);
    }

    static int entryOffset(final DirectBuffer body, final int index)
    {
        return body.getShort(HEADER_LENGTH + SLOT_LENGTH * index) & 0xFFFF;
    }

    static int keyLength(final DirectBuffer body, final int entry)
    {
        return body.getShort(entry) & 0xFFFF;
    }

    static int keyOffset(final int entry)
    {
        return entry + ENTRY_HEADER_LENGTH;
    }

    static int payloadLength(final DirectBuffer body, final int entry)
    {
        return body.getShort(entry + 2) & 0xFFFF;
    }

    static int payloadOffset(final DirectBuffer body, final int entry)
    {
        return entry + ENTRY_HEADER_LENGTH + keyLength(body, entry);
    }

    static int entryLength(final DirectBuffer body, final int entry)
    {
        return ENTRY_HEADER_LENGTH + keyLength(body, entry) + payloadLength(body, entry);
    }

    /** @return the space an entry of this key and payload takes, slot included. */
    static int entrySpace(final int keyLength, final int payloadLength)
    {
        return SLOT_LENGTH + ENTRY_HEADER_LENGTH + keyLength + payloadLength;
    }

    static long child(final DirectBuffer body, final int index)
    {
        final int entry = entryOffset(body, index);
        return body.getLong(payloadOffset(body, entry));
    }

    /**
     * Binary search by unsigned lexicographic order, on the slots' key heads first.
     *
     * @return the index of the key, or {@code -(insertion point) - 1} when absent
     */
    static int search(final DirectBuffer body, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final int head = head(key, keyOffset, keyLength);
        int low = 0;
        int high = count(body) - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int slot = HEADER_LENGTH + SLOT_LENGTH * mid;
            int cmp = Integer.compareUnsigned(body.getInt(slot + SLOT_HEAD_OFFSET, ByteOrder.BIG_ENDIAN), head);
            if (cmp == 0)
            {
                final int entry = body.getShort(slot) & 0xFFFF;
                cmp = compare(body, keyOffset(entry), keyLength(body, entry), key, keyOffset, keyLength);
            }
            if (cmp < 0)
            {
                low = mid + 1;
            }
            else if (cmp > 0)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    /**
     * @return whether {@code searched} is what {@link #search} returns for the key: the key at that index, or the
     *     keys on either side of that insertion point enclosing it. One or two key comparisons, not a search.
     */
    static boolean holdsSearch(final DirectBuffer body, final DirectBuffer key, final int keyOffset,
        final int keyLength, final int searched)
    {
        final int count = count(body);
        if (searched >= 0)
        {
            return searched < count && compareAt(body, searched, key, keyOffset, keyLength) == 0;
        }
        final int at = -searched - 1;
        return at <= count
            && (at == 0 || compareAt(body, at - 1, key, keyOffset, keyLength) < 0)
            && (at == count || compareAt(body, at, key, keyOffset, keyLength) > 0);
    }

    private static int compareAt(final DirectBuffer body, final int index, final DirectBuffer key,
        final int keyOffset, final int keyLength)
    {
        final int entry = entryOffset(body, index);
        return compare(body, keyOffset(entry), keyLength(body, entry), key, keyOffset, keyLength);
    }

    /** @return the head of a key: its first {@value #HEAD_LENGTH} bytes, big-endian, zero-padded when shorter */
    static int head(final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        if (keyLength >= HEAD_LENGTH)
        {
            return key.getInt(keyOffset, ByteOrder.BIG_ENDIAN);
        }
        int head = 0;
        for (int i = 0; i < HEAD_LENGTH; i++)
        {
            head = head << 8 | (i < keyLength ? key.getByte(keyOffset + i) & 0xFF : 0);
        }
        return head;
    }

    /** @return the key head slot {@code index} carries */
    static int slotHead(final DirectBuffer body, final int index)
    {
        return body.getInt(HEADER_LENGTH + SLOT_LENGTH * index + SLOT_HEAD_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** @return the child of an inner node that covers {@code key}. */
    static long childFor(final DirectBuffer body, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final int index = childIndex(body, key, keyOffset, keyLength);
        return index < 0 ? link(body) : child(body, index);
    }

    /** @return the entry index whose child covers {@code key}, or -1 for the leftmost child. */
    static int childIndex(final DirectBuffer body, final DirectBuffer key, final int keyOffset, final int keyLength)
    {
        final int found = search(body, key, keyOffset, keyLength);
        return found >= 0 ? found : -found - 2;
    }

    /**
     * @return the entry index of the last child holding keys strictly below {@code key}, or -1 for the leftmost
     */
    static int childIndexBelow(final DirectBuffer body, final DirectBuffer key, final int keyOffset,
        final int keyLength)
    {
        final int found = search(body, key, keyOffset, keyLength);
        return found >= 0 ? found - 1 : -found - 2;
    }

    /** Unsigned lexicographic comparison of two byte ranges. */
    static int compare(final DirectBuffer a, final int aOffset, final int aLength, final DirectBuffer b,
        final int bOffset, final int bLength)
    {
        final int common = Math.min(aLength, bLength);
        int i = 0;
        for (; i + 8 <= common; i += 8)
        {
            final long x = a.getLong(aOffset + i, ByteOrder.BIG_ENDIAN);
            final long y = b.getLong(bOffset + i, ByteOrder.BIG_ENDIAN);
            if (x != y)
            {
                return Long.compareUnsigned(x, y);
            }
        }
        for (; i < common; i++)
        {
            final int x = a.getByte(aOffset + i) & 0xFF;
            final int y = b.getByte(bOffset + i) & 0xFF;
            if (x != y)
            {
                return x - y;
            }
        }
        return aLength - bLength;
    }

    /**
     * Inserts an entry at slot {@code index}. The caller checked that {@link #available} holds
     * {@link #entrySpace}; the node is compacted first when the gap alone does not.
     */
    static void insert(final MutableDirectBuffer body, final int index, final DirectBuffer key, final int keyOffset,
        final int keyLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength,
        final MutableDirectBuffer scratch)
    {
        final int space = entrySpace(keyLength, payloadLength);
        if (gap(body) < space)
        {
            compact(body, scratch);
        }
        final int count = count(body);
        final int entry = heapStart(body) - (space - SLOT_LENGTH);
        writeEntry(body, entry, key, keyOffset, keyLength, payload, payloadOffset, payloadLength);
        final int slot = HEADER_LENGTH + SLOT_LENGTH * index;
        body.putBytes(slot + SLOT_LENGTH, body, slot, SLOT_LENGTH * (count - index));
        body.putShort(slot, (short)entry);
        body.putInt(slot + SLOT_HEAD_OFFSET, head(key, keyOffset, keyLength), ByteOrder.BIG_ENDIAN);
        body.putShort(COUNT_OFFSET, (short)(count + 1));
        body.putShort(HEAP_OFFSET, (short)entry);
    }

    /**
     * Overwrites the payload of the entry at {@code entry} with one of the same length: no slot moves and no
     * garbage, unlike a removal followed by an insert.
     */
    static void replacePayload(final MutableDirectBuffer body, final int entry, final DirectBuffer payload,
        final int payloadOffset, final int payloadLength)
    {
        if (payloadLength(body, entry) != payloadLength)
        {
            throw new IllegalArgumentException("payload of " + payloadLength + " bytes replaces one of "
                + payloadLength(body, entry) + "; only a payload of the same length is replaced in place");
        }
        body.putBytes(payloadOffset(body, entry), payload, payloadOffset, payloadLength);
    }

    /** Removes the entry at slot {@code index}; its bytes become garbage. */
    static void remove(final MutableDirectBuffer body, final int index)
    {
        final int count = count(body);
        final int entry = entryOffset(body, index);
        final int length = entryLength(body, entry);
        final int slot = HEADER_LENGTH + SLOT_LENGTH * index;
        body.putBytes(slot, body, slot + SLOT_LENGTH, SLOT_LENGTH * (count - index - 1));
        body.setMemory(HEADER_LENGTH + SLOT_LENGTH * (count - 1), SLOT_LENGTH, (byte)0);
        body.putShort(COUNT_OFFSET, (short)(count - 1));
        if (entry == heapStart(body))
        {
            body.putShort(HEAP_OFFSET, (short)(entry + length));
        }
        else
        {
            body.putShort(GARBAGE_OFFSET, (short)(garbage(body) + length));
        }
    }

    /**
     * Rewrites the live entries in slot order at the end of the body; garbage becomes gap. Deterministic: the
     * same bytes in give the same bytes out.
     */
    static void compact(final MutableDirectBuffer body, final MutableDirectBuffer scratch)
    {
        final int count = count(body);
        int heap = body.capacity();
        for (int i = 0; i < count; i++)
        {
            final int entry = entryOffset(body, i);
            final int length = entryLength(body, entry);
            heap -= length;
            scratch.putBytes(heap, body, entry, length);
            body.putShort(HEADER_LENGTH + SLOT_LENGTH * i, (short)heap);
        }
        final int end = slotsEnd(body);
        body.setMemory(end, heap - end, (byte)0);
        body.putBytes(heap, scratch, heap, body.capacity() - heap);
        body.putShort(HEAP_OFFSET, (short)heap);
        body.putShort(GARBAGE_OFFSET, (short)0);
    }

    /** Appends entry {@code index} of {@code from} to the end of {@code to} (which has room). */
    static void append(final MutableDirectBuffer to, final DirectBuffer from, final int index,
        final MutableDirectBuffer scratch)
    {
        final int entry = entryOffset(from, index);
        final int keyLength = keyLength(from, entry);
        insert(to, count(to), from, keyOffset(entry), keyLength, from, payloadOffset(from, entry),
            payloadLength(from, entry), scratch);
    }

    private static void writeEntry(final MutableDirectBuffer body, final int entry, final DirectBuffer key,
        final int keyOffset, final int keyLength, final DirectBuffer payload, final int payloadOffset,
        final int payloadLength)
    {
        body.putShort(entry, (short)keyLength);
        body.putShort(entry + 2, (short)payloadLength);
        body.putBytes(entry + ENTRY_HEADER_LENGTH, key, keyOffset, keyLength);
        body.putBytes(entry + ENTRY_HEADER_LENGTH + keyLength, payload, payloadOffset, payloadLength);
    }
}
