package dev.tidemark.testkit.fs;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of one file image (current content, durable image or clean base) in a growable heap array. Growing
 * the image exposes zeros, as a real file does, even where a mapping wrote past the old end.
 *
 * <p>Not thread-safe: the owning {@link SimulatedFileSystem} calls it under its lock. The array may be replaced
 * when the image grows; {@link #array()} returns the current one.
 */
final class ByteImage
{
    /** The largest file the simulation holds: one Java array. */
    static final long MAX_LENGTH = Integer.MAX_VALUE - 16;

    private static final int MIN_CAPACITY = 64;

    private byte[] bytes;
    private int length;

    ByteImage()
    {
        this.bytes = new byte[0];
    }

    private ByteImage(final byte[] bytes, final int length)
    {
        this.bytes = bytes;
        this.length = length;
    }

    int length()
    {
        return length;
    }

    /** @return the backing array; only {@code [0, length())} is content. */
    byte[] array()
    {
        return bytes;
    }

    ByteImage copy()
    {
        return new ByteImage(Arrays.copyOf(bytes, length), length);
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    byte get(final int index)
    {
        return bytes[index];
    }

    void put(final int index, final byte value)
    {
        bytes[index] = value;
    }

    /** Copies up to {@code dst.remaining()} bytes from {@code position}; returns the count, or -1 at the end. */
    int read(final ByteBuffer dst, final long position)
    {
        if (position >= length)
        {
            return -1;
        }
        final int count = (int)Math.min(dst.remaining(), length - position);
        dst.put(bytes, (int)position, count);
        return count;
    }

    /** Writes {@code data} at {@code position}, growing the image (zero-filled gap) when it ends past the end. */
    void write(final long position, final byte[] data, final int from, final int count)
    {
        final long end = position + count;
        if (end > length)
        {
            setLength(end);
        }
        System.arraycopy(data, from, bytes, (int)position, count);
    }

    void setLength(final long newLength)
    {
        final int target = (int)newLength;
        if (target > bytes.length)
        {
            final long grown = Math.max(MIN_CAPACITY, Math.max(target, 2L * bytes.length));
            bytes = Arrays.copyOf(bytes, (int)Math.min(grown, MAX_LENGTH));
        }
        if (target > length)
        {
            Arrays.fill(bytes, length, target, (byte)0); // a mapping may have written past the old end
        }
        else
        {
            Arrays.fill(bytes, target, length, (byte)0);
        }
        length = target;
    }

    /** Copies {@code [from, to)} of {@code source} into this image at the same offsets; both must hold them. */
    void copyRange(final ByteImage source, final int from, final int to)
    {
        System.arraycopy(source.bytes, from, bytes, from, to - from);
    }

    /** Makes this image an exact copy of {@code source}, reusing the array when it is large enough. */
    void copyFrom(final ByteImage source)
    {
        setLength(source.length);
        System.arraycopy(source.bytes, 0, bytes, 0, source.length);
    }

    boolean contentEquals(final ByteImage other)
    {
        return Arrays.equals(bytes, 0, length, other.bytes, 0, other.length);
    }

    boolean rangeEquals(final ByteImage other, final int from, final int to)
    {
        return Arrays.equals(bytes, from, to, other.bytes, from, to);
    }
}
