package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Slot key heads: the search by heads finds what a plain search of the keys finds, short keys and zeros included,
 * and a search hint holds exactly when it is that result; a payload of the same length is replaced in place.
 */
class NodeLayoutTest
{
    private static final byte[][] EDGE_KEYS = {
        {0}, {0, 0}, {0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 1}, {0, 1}, {1}, {1, 0, 0, 0, 0, 0, 0, 0, 0},
        {1, 2, 3}, {1, 2, 3, 4}, {1, 2, 3, 4, 0}, {1, 2, 3, 4, 5}, {(byte)0x7F}, {(byte)0x80}, {(byte)0x80, 0},
        {(byte)0xFF}, {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF}, {(byte)0xFF, (byte)0xFF, (byte)0xFF,
            (byte)0xFF, (byte)0xFF}};

    @Test
    void shouldOrderHeadsLikeTheirKeysWhereTheHeadsDiffer()
    {
        for (final byte[] a : EDGE_KEYS)
        {
            for (final byte[] b : EDGE_KEYS)
            {
                final int heads = Integer.compareUnsigned(head(a), head(b));
                if (heads != 0)
                {
                    assertThat(Integer.signum(heads)).as("%s vs %s", Arrays.toString(a), Arrays.toString(b))
                        .isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
                }
            }
        }
    }

    @Test
    void shouldFindEveryKeyAndPlaceEveryAbsentOneAsAPlainSearchWouldAndHoldOnlyThatHint()
    {
        final SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 200; round++)
        {
            final List<byte[]> present = new ArrayList<>();
            final List<byte[]> all = new ArrayList<>(Arrays.asList(EDGE_KEYS));
            for (int i = 0; i < 40; i++)
            {
                final byte[] key = new byte[1 + random.nextInt(9)];
                for (int j = 0; j < key.length; j++)
                {
                    key[j] = (byte)(random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(256));
                }
                all.add(key);
            }
            all.sort(Arrays::compareUnsigned);
            final UnsafeBuffer body = new UnsafeBuffer(new byte[4096]);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
            NodeLayout.init(body, 0, 1, 0);
            for (final byte[] key : all)
            {
                if (random.nextBoolean() && (present.isEmpty()
                    || Arrays.compareUnsigned(present.get(present.size() - 1), key) < 0))
                {
                    final UnsafeBuffer view = new UnsafeBuffer(key);
                    final int at = -NodeLayout.search(body, view, 0, key.length) - 1;
                    NodeLayout.insert(body, at, view, 0, key.length, view, 0, 0, scratch);
                    present.add(key);
                }
            }
            for (final byte[] key : all)
            {
                final int expected = java.util.Collections.binarySearch(present, key, Arrays::compareUnsigned);
                assertThat(NodeLayout.search(body, new UnsafeBuffer(key), 0, key.length))
                    .as("key %s", Arrays.toString(key)).isEqualTo(expected);
                for (int hint = -present.size() - 2; hint <= present.size() + 1; hint++)
                {
                    assertThat(NodeLayout.holdsSearch(body, new UnsafeBuffer(key), 0, key.length, hint))
                        .as("key %s, hint %d", Arrays.toString(key), hint).isEqualTo(hint == expected);
                }
            }
            for (int i = 0; i < present.size(); i++)
            {
                final int entry = NodeLayout.entryOffset(body, i);
                assertThat(NodeLayout.slotHead(body, i))
                    .isEqualTo(NodeLayout.head(body, NodeLayout.keyOffset(entry), NodeLayout.keyLength(body, entry)));
            }
        }
    }

    @Test
    void shouldReplaceAPayloadOfTheSameLengthInPlaceAndRefuseAnother()
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[4096]);
        NodeLayout.init(body, 0, 1, 0);
        for (int i = 0; i < 3; i++)
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[] {(byte)i});
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[] {(byte)i, (byte)i, (byte)i});
            NodeLayout.insert(body, i, key, 0, 1, payload, 0, 3, scratch);
        }
        final int available = NodeLayout.available(body);
        final int heap = NodeLayout.heapStart(body);
        final int entry = NodeLayout.entryOffset(body, 1);

        NodeLayout.replacePayload(body, entry, new UnsafeBuffer(new byte[] {7, 8, 9}), 0, 3);

        assertThat(NodeLayout.entryOffset(body, 1)).isEqualTo(entry);
        final byte[] read = new byte[3];
        body.getBytes(NodeLayout.payloadOffset(body, entry), read);
        assertThat(read).containsExactly(7, 8, 9);
        assertThat(NodeLayout.available(body)).isEqualTo(available);
        assertThat(NodeLayout.heapStart(body)).isEqualTo(heap);
        assertThat(NodeLayout.garbage(body)).isZero();
        assertThat(NodeLayout.search(body, new UnsafeBuffer(new byte[] {1}), 0, 1)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> NodeLayout.replacePayload(body, entry, new UnsafeBuffer(new byte[4]), 0, 4))
            .withMessageContaining("same length");
    }

    private static int head(final byte[] key)
    {
        return NodeLayout.head(new UnsafeBuffer(key), 0, key.length);
    }
}
