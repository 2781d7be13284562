package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Where the version chain of one leaf entry is: inline in the page, or (spilled) copied from its overflow pages
 * into a new buffer. One per thread ({@link Scratch}); valid while the leaf stays latched.
 */
final class ChainView
{
    DirectBuffer versions;
    int offset;
    int length;

    /** Points at the chain of the entry at {@code entry} of the leaf {@code body}. */
    ChainView of(final Overflow overflow, final DirectBuffer body, final int entry)
    {
        final int payload = NodeLayout.payloadOffset(body, entry);
        if (ChainLayout.form(body, payload) == ChainLayout.FORM_SPILLED)
        {
            final ExpandableArrayBuffer spilled = new ExpandableArrayBuffer(ChainLayout.spilledLength(body, payload));
            length = overflow.read(ChainLayout.spilledFirstPage(body, payload), spilled, 0);
            versions = spilled;
            offset = 0;
        }
        else
        {
            versions = body;
            offset = payload + 1;
            length = NodeLayout.payloadLength(body, entry) - 1;
        }
        return this;
    }
}
