package dev.tidemark.wal;

import dev.tidemark.Durability;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One preallocated slot of the log buffer ring. A producer copies its record in; the journal copies it out.
 * Owned by whichever side the ring's sequences say owns it.
 */
final class AppendEvent
{
    /** Slots whose buffer grew past this are given a fresh small buffer after use, to bound idle memory. */
    static final int RETAINED_CAPACITY = 1 << 20;
    private static final int INITIAL_CAPACITY = 256;

    int type;
    int length;
    Durability durability;
    ExpandableArrayBuffer payload = new ExpandableArrayBuffer(INITIAL_CAPACITY);

    void set(final int type, final DirectBuffer source, final int offset, final int length,
        final Durability durability)
    {
        this.type = type;
        this.length = length;
        this.durability = durability;
        if (length > 0)
        {
            payload.putBytes(0, source, offset, length);
        }
    }

    void shrinkIfLarge()
    {
        if (payload.capacity() > RETAINED_CAPACITY)
        {
            payload = new ExpandableArrayBuffer(INITIAL_CAPACITY);
        }
    }
}
