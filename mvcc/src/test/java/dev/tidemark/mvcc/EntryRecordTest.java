package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Redo of {@code TREE_ENTRY} records on a leaf: a record that keeps a tail of the old inline chain rebuilds the
 * same chain as one that logs it whole, in place, growing and shrinking; such a record on a page without the chain
 * it names is a mismatch; and records of version 1 (no kept-tail field) are still read.
 */
class EntryRecordTest
{
    private static final long TREE = 9;
    private static final long PAGE = 4;
    private static final byte[] KEY = "key".getBytes(StandardCharsets.US_ASCII);

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldRebuildTheChainFromTheNewHeadAndTheKeptTailAtEveryLengthChange()
    {
        final byte[] a = version(1, "a-old");
        final byte[] b = version(2, "b-old");
        final byte[] n = version(3, "n-new");
        final byte[][][] cases = {
            {concat(a, b), n, a},          // push keeping one old version: the same length, in place
            {a, n, a},                     // push keeping the only old version: grows
            {concat(a, b), new byte[0], a}, // prune to the newest settled version: shrinks
        };
        for (final byte[][] c : cases)
        {
            final UnsafeBuffer whole = leafWith(inline(c[0]));
            final UnsafeBuffer tail = leafWith(inline(c[0]));
            final UnsafeBuffer wholeRecord = new UnsafeBuffer(new byte[512]);
            final UnsafeBuffer tailRecord = new UnsafeBuffer(new byte[512]);
            final byte[] expected = inline(concat(c[1], c[2]));

            final int wholeLength = record(wholeRecord, expected, 0);
            final int tailLength = record(tailRecord, inline(c[1]), c[2].length);
            new EntryRecord().wrap(wholeRecord, 0, wholeLength).redo(whole, scratch);
            new EntryRecord().wrap(tailRecord, 0, tailLength).redo(tail, scratch);

            assertThat(tailLength).isLessThan(wholeLength);
            assertThat(payload(tail)).isEqualTo(expected);
            assertThat(payload(whole)).isEqualTo(expected);
            assertThat(NodeLayout.available(tail)).isEqualTo(NodeLayout.available(whole));
        }
    }

    @Test
    void shouldRefuseAKeptTailThePageDoesNotHold()
    {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[4096]);
        NodeLayout.init(empty, 0, TREE, 0);
        final UnsafeBuffer shortChain = leafWith(inline(version(1, "x")));
        final UnsafeBuffer rec = new UnsafeBuffer(new byte[512]);
        final int length = record(rec, inline(version(2, "y")), 100);

        assertThatThrownBy(() -> new EntryRecord().wrap(rec, 0, length).redo(empty, scratch))
            .isInstanceOf(RedoMismatchException.class).hasMessageContaining("does not hold");
        assertThatThrownBy(() -> new EntryRecord().wrap(rec, 0, length).redo(shortChain, scratch))
            .isInstanceOf(RedoMismatchException.class).hasMessageContaining("holds a chain of");
    }

    @Test
    void shouldStillRedoARecordOfVersionOne()
    {
        final byte[] chain = inline(version(5, "v1"));
        final UnsafeBuffer current = new UnsafeBuffer(new byte[512]);
        final int length = record(current, chain, 0);
        // version 1: the same fields without the kept-tail field, the key right after the pushed-version length
        final UnsafeBuffer old = new UnsafeBuffer(new byte[512]);
        old.putBytes(0, current, 0, 52);
        old.putByte(0, (byte)EntryRecord.VERSION_1);
        old.putBytes(52, current, EntryRecord.HEADER_LENGTH, length - EntryRecord.HEADER_LENGTH);
        final UnsafeBuffer body = new UnsafeBuffer(new byte[4096]);
        NodeLayout.init(body, 0, TREE, 0);

        final EntryRecord record = new EntryRecord().wrap(old, 0, length - 4);
        record.redo(body, scratch);

        assertThat(record.keptTail()).isZero();
        assertThat(payload(body)).isEqualTo(chain);
        assertThatThrownBy(() -> new EntryRecord().wrap(rec(3), 0, 60)).isInstanceOf(RedoMismatchException.class)
            .hasMessageContaining("version 3");
    }

    private static UnsafeBuffer rec(final int version)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        buffer.putByte(0, (byte)version);
        return buffer;
    }

    private static int record(final UnsafeBuffer to, final byte[] chain, final int keptTail)
    {
        final int length = EntryRecord.writeHeader(to, EntryRecord.KIND_UPDATE, 3, 0, 0, TREE, PAGE,
            new UnsafeBuffer(KEY), 0, KEY.length, chain.length, 0, keptTail);
        to.putBytes(EntryRecord.HEADER_LENGTH + KEY.length, chain);
        return length;
    }

    private UnsafeBuffer leafWith(final byte[] payload)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[4096]);
        NodeLayout.init(body, 0, TREE, 0);
        // neighbours on both sides, so that a regrown entry moves between other entries
        NodeLayout.insert(body, 0, new UnsafeBuffer(new byte[] {'a'}), 0, 1, new UnsafeBuffer(inline(new byte[0])),
            0, 1, scratch);
        NodeLayout.insert(body, 1, new UnsafeBuffer(KEY), 0, KEY.length, new UnsafeBuffer(payload), 0,
            payload.length, scratch);
        NodeLayout.insert(body, 2, new UnsafeBuffer(new byte[] {'z'}), 0, 1, new UnsafeBuffer(inline(new byte[0])),
            0, 1, scratch);
        return body;
    }

    private static byte[] payload(final UnsafeBuffer body)
    {
        final int index = NodeLayout.search(body, new UnsafeBuffer(KEY), 0, KEY.length);
        assertThat(index).isNotNegative();
        final int entry = NodeLayout.entryOffset(body, index);
        final byte[] bytes = new byte[NodeLayout.payloadLength(body, entry)];
        body.getBytes(NodeLayout.payloadOffset(body, entry), bytes);
        return bytes;
    }

    private static byte[] version(final long txn, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer version = new UnsafeBuffer(new byte[ChainLayout.VERSION_HEADER_LENGTH + bytes.length]);
        ChainLayout.writeHeader(version, 0, txn, 0, bytes.length);
        version.putBytes(ChainLayout.VERSION_HEADER_LENGTH, bytes);
        return version.byteArray();
    }

    private static byte[] inline(final byte[] versions)
    {
        final byte[] chain = new byte[1 + versions.length];
        chain[0] = (byte)ChainLayout.FORM_INLINE;
        System.arraycopy(versions, 0, chain, 1, versions.length);
        return chain;
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
