package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Byte layout of a key's version chain: the payload of a leaf entry (little-endian).
 *
 * <pre>
 *  chain, inline:   [u8 form = 0][version][version]...          newest first
 *  chain, spilled:  [u8 form = 1][u32 versions length][u64 first overflow page]
 *                   the overflow pages hold the versions, newest first
 *
 *  version:  [u64 transaction id][u8 flags][u32 value length][value]
 *            flags: 1 = tombstone (no value), 2 = overflow (value is [u64 first overflow page])
 * </pre>
 *
 * A chain is spilled when inline it would make the leaf entry larger than the node's entry limit (a long history
 * kept for an old snapshot), or when an undo or a prune cannot fit it inline into the room its leaf has; a value is
 * kept in overflow pages when larger than the inline value limit. Every
 * version is tagged with the transaction that wrote it; a {@link Snapshot} decides which one a reader sees.
 */
final class ChainLayout
{
    static final int FORM_INLINE = 0;
    static final int FORM_SPILLED = 1;
    static final int SPILLED_LENGTH = 13;

    static final int FLAG_TOMBSTONE = 1;
    static final int FLAG_OVERFLOW = 2;

    static final int TXN_OFFSET = 0;
    static final int FLAGS_OFFSET = 8;
    static final int LENGTH_OFFSET = 9;
    static final int VERSION_HEADER_LENGTH = 13;

    private ChainLayout()
    {
    }

    static int form(final DirectBuffer chain, final int offset)
    {
        return chain.getByte(offset) & 0xFF;
    }

    static int spilledLength(final DirectBuffer chain, final int offset)
    {
        return chain.getInt(offset + 1);
    }

    static long spilledFirstPage(final DirectBuffer chain, final int offset)
    {
        return chain.getLong(offset + 5);
    }

    static void writeSpilled(final MutableDirectBuffer chain, final int offset, final int versionsLength,
        final long firstPage)
    {
        chain.putByte(offset, (byte)FORM_SPILLED);
        chain.putInt(offset + 1, versionsLength);
        chain.putLong(offset + 5, firstPage);
    }

    static long txn(final DirectBuffer versions, final int at)
    {
        return versions.getLong(at + TXN_OFFSET);
    }

    static int flags(final DirectBuffer versions, final int at)
    {
        return versions.getByte(at + FLAGS_OFFSET) & 0xFF;
    }

    static boolean isTombstone(final DirectBuffer versions, final int at)
    {
        return (flags(versions, at) & FLAG_TOMBSTONE) != 0;
    }

    static boolean isOverflow(final DirectBuffer versions, final int at)
    {
        return (flags(versions, at) & FLAG_OVERFLOW) != 0;
    }

    /** @return the value length (for an overflow value: the length of the value, not of its reference). */
    static int valueLength(final DirectBuffer versions, final int at)
    {
        return versions.getInt(at + LENGTH_OFFSET);
    }

    static int valueOffset(final int at)
    {
        return at + VERSION_HEADER_LENGTH;
    }

    static long overflowPage(final DirectBuffer versions, final int at)
    {
        return versions.getLong(at + VERSION_HEADER_LENGTH);
    }

    /** @return the bytes of the version at {@code at}. */
    static int versionLength(final DirectBuffer versions, final int at)
    {
        final int flags = flags(versions, at);
        if ((flags & FLAG_TOMBSTONE) != 0)
        {
            return VERSION_HEADER_LENGTH;
        }
        if ((flags & FLAG_OVERFLOW) != 0)
        {
            return VERSION_HEADER_LENGTH + Long.BYTES;
        }
        return VERSION_HEADER_LENGTH + valueLength(versions, at);
    }

    /** Writes a version header at {@code at}; the caller writes the value (or overflow page id) after it. */
    static void writeHeader(final MutableDirectBuffer versions, final int at, final long txn, final int flags,
        final int valueLength)
    {
        versions.putLong(at + TXN_OFFSET, txn);
        versions.putByte(at + FLAGS_OFFSET, (byte)flags);
        versions.putInt(at + LENGTH_OFFSET, valueLength);
    }
}
