package dev.tidemark.bench.peers;

import dev.tidemark.bench.kv.KvBenchData;
import java.util.Random;
import java.util.function.IntFunction;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The db_bench-style data sets of the peer comparison: entry {@code i} of {@code n} has a key of the chosen
 * {@link KeyType} in which index order is key order, and a 100-byte value derived from {@code i} and a generation.
 * The random write order is a fixed permutation, the same for every engine.
 */
public final class PeerData
{
    public static final int VALUE_BYTES = KvBenchData.VALUE_BYTES;
    /** Entries per transaction when an engine is loaded: each engine's batched write path. */
    public static final int BATCH = 1_000;

    private PeerData()
    {
    }

    /** The two key shapes of db_bench and lmdbjava-benchmarks. */
    public enum KeyType
    {
        /** 4 bytes: the index as a big-endian int. */
        INT4,
        /** 16 bytes: the index as 16 ASCII decimal digits, zero-padded (db_bench's key format). */
        STRING16;

        public byte[] key(final int index)
        {
            if (this == INT4)
            {
                return new byte[] {(byte)(index >>> 24), (byte)(index >>> 16), (byte)(index >>> 8), (byte)index};
            }
            final byte[] key = new byte[16];
            int rest = index;
            for (int i = 15; i >= 0; i--)
            {
                key[i] = (byte)('0' + rest % 10);
                rest /= 10;
            }
            return key;
        }

        public String id()
        {
            return this == INT4 ? "int4" : "string16";
        }

        public static KeyType byId(final String id)
        {
            for (final KeyType type : values())
            {
                if (type.id().equals(id))
                {
                    return type;
                }
            }
            throw new IllegalArgumentException("no key type named " + id + " (int4 or string16)");
        }
    }

    /** @return the keys of entries {@code 0..n)}, in key order */
    public static byte[][] keys(final KeyType type, final int n)
    {
        final byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            keys[i] = type.key(i);
        }
        return keys;
    }

    /** @return the 100-byte value of entry {@code index} at {@code generation} (0 when loaded) */
    public static byte[] value(final int index, final long generation)
    {
        final byte[] value = new byte[VALUE_BYTES];
        KvBenchData.value(index, generation, new UnsafeBuffer(value));
        return value;
    }

    /** @return the values of entries {@code 0..n)} at generation 0 */
    public static byte[][] values(final int n)
    {
        final byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++)
        {
            values[i] = value(i, 0);
        }
        return values;
    }

    /** @return a fixed pseudo-random permutation of {@code 0..n)}: the random write order */
    public static int[] randomOrder(final int n)
    {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        final Random random = new Random(0x71DE_3A4BL);
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * Loads entries {@code 0..n)} into {@code store} in batches of {@link #BATCH}, in {@code order} (entry indexes).
     */
    public static void load(
        final PeerStore store, final byte[][] keys, final byte[][] values, final int[] order)
    {
        load(store, order, index -> keys[index], index -> values[index]);
    }

    /**
     * Loads the entries of {@code order} into {@code store} in batches of {@link #BATCH}, each entry's key and value
     * made by {@code key} and {@code value} from its index when its batch is written.
     */
    public static void load(
        final PeerStore store, final int[] order, final IntFunction<byte[]> key, final IntFunction<byte[]> value)
    {
        final byte[][] batchKeys = new byte[BATCH][];
        final byte[][] batchValues = new byte[BATCH][];
        int filled = 0;
        for (final int index : order)
        {
            batchKeys[filled] = key.apply(index);
            batchValues[filled] = value.apply(index);
            if (++filled == BATCH)
            {
                store.writeBatch(batchKeys, batchValues, filled);
                filled = 0;
            }
        }
        if (filled > 0)
        {
            store.writeBatch(batchKeys, batchValues, filled);
        }
    }

    /** @return {@code 0..n)} in order: the sequential write order */
    public static int[] sequentialOrder(final int n)
    {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        return order;
    }
}
