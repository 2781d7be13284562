package dev.tidemark.bench.kv;

import java.nio.ByteOrder;
import org.agrona.MutableDirectBuffer;

/**
 * The data set of the key-value benchmarks: {@code keys} entries, the same in every run and for every peer.
 *
 * <p>Entry {@code i} ({@code 0 <= i < keys}) has a 16-byte key: the big-endian 8 bytes of {@code mix(i)}, a fixed
 * bijection of the index (so keys are distinct and reproducible, but loading them in index order inserts them in
 * random key order), then 8 zero bytes. Its value is 100 bytes derived from the index and a generation (0 when
 * loaded; a put writes a new generation). Keys compare as unsigned bytes, the order of both LMDB and
 * {@code ByteArrayDataType}.
 *
 * <p>The writers fill a caller's buffer and allocate nothing; wrap a {@code byte[]} in an {@code UnsafeBuffer} to
 * fill an array.
 */
public final class KvBenchData
{
    public static final int KEY_BYTES = 16;
    public static final int VALUE_BYTES = 100;
    /** Entries read by one scan operation. */
    public static final int SCAN_LENGTH = 10_000;

    private final int keys;

    public KvBenchData(final int keys)
    {
        if (keys < SCAN_LENGTH)
        {
            throw new IllegalArgumentException("keys must be at least " + SCAN_LENGTH + ": " + keys);
        }
        this.keys = keys;
    }

    public int keys()
    {
        return keys;
    }

    /** Writes the key of entry {@code index} at offset 0 of {@code dst}. */
    public static void key(final long index, final MutableDirectBuffer dst)
    {
        dst.putLong(0, mix(index), ByteOrder.BIG_ENDIAN);
        dst.putLong(8, 0L);
    }

    /** Writes the value of entry {@code index} at {@code generation} at offset 0 of {@code dst}. */
    public static void value(final long index, final long generation, final MutableDirectBuffer dst)
    {
        long word = mix(index ^ mix(generation)) | 1L;
        int offset = 0;
        for (; offset + Long.BYTES <= VALUE_BYTES; offset += Long.BYTES)
        {
            word = xorshift(word);
            dst.putLong(offset, word, ByteOrder.BIG_ENDIAN);
        }
        dst.putInt(offset, (int)xorshift(word), ByteOrder.BIG_ENDIAN);
    }

    /** An index drawn uniformly from a random state: advances the state and returns an entry index. */
    public int nextIndex(final RandomState random)
    {
        random.state = xorshift(random.state);
        return (int)((random.state >>> 1) % keys);
    }

    /** A bijection of 64-bit values (the SplitMix64 finalizer: each xor-shift and odd multiply is invertible). */
    static long mix(final long x)
    {
        long z = x;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One xorshift64 step; never returns 0 for a non-zero state. */
    static long xorshift(final long state)
    {
        long x = state;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    /** A benchmark thread's random state: seeded per thread, deterministic, never zero. */
    public static final class RandomState
    {
        long state;

        public RandomState(final long seed)
        {
            state = mix(seed) | 1L;
        }
    }
}
