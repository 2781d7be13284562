package dev.tidemark.lock;

import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable flyweight naming the resource of the next lock call, so that locking a key allocates nothing: point
 * it at a key with {@link #row}, {@link #range}, {@link #rangeToEnd} or {@link #keyspace}, then pass it to
 * {@link LockManager}. The lock manager copies the key bytes it keeps and never retains the target or the buffer.
 *
 * <p>Not thread-safe: one target per thread. The key bytes must not change while a call that uses the target
 * runs.
 */
public final class LockTarget
{
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final UnsafeBuffer arrayWrapper = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private ResourceKind kind;
    private int keyspaceId;
    private DirectBuffer buffer = empty;
    private int offset;
    private int length;
    private int hash;

    /** Points at the whole keyspace {@code keyspaceId}. */
    public LockTarget keyspace(final int keyspaceId)
    {
        return set(ResourceKind.KEYSPACE, keyspaceId, empty, 0, 0);
    }

    /** Points at the row {@code key[offset, offset + length)} of a keyspace. */
    public LockTarget row(final int keyspaceId, final DirectBuffer key, final int offset, final int length)
    {
        return set(ResourceKind.ROW, keyspaceId, key, offset, length);
    }

    /** Points at the row {@code key} (the whole array) of a keyspace. */
    public LockTarget row(final int keyspaceId, final byte[] key)
    {
        arrayWrapper.wrap(key);
        return set(ResourceKind.ROW, keyspaceId, arrayWrapper, 0, key.length);
    }

    /** Points at the gap below {@code key[offset, offset + length)} (see {@link ResourceKind#RANGE}). */
    public LockTarget range(final int keyspaceId, final DirectBuffer key, final int offset, final int length)
    {
        return set(ResourceKind.RANGE, keyspaceId, key, offset, length);
    }

    /** Points at the gap below {@code key} (the whole array). */
    public LockTarget range(final int keyspaceId, final byte[] key)
    {
        arrayWrapper.wrap(key);
        return set(ResourceKind.RANGE, keyspaceId, arrayWrapper, 0, key.length);
    }

    /** Points at the gap above the greatest key of a keyspace. */
    public LockTarget rangeToEnd(final int keyspaceId)
    {
        return set(ResourceKind.RANGE_TO_END, keyspaceId, empty, 0, 0);
    }

    /** Points at the same resource as {@code resource}. */
    public LockTarget set(final LockResource resource)
    {
        final byte[] key = resource.keyBytes();
        arrayWrapper.wrap(key);
        return set(resource.kind(), resource.keyspaceId(), arrayWrapper, 0, key.length);
    }

    /** @return the kind of the resource, or null until the target is first pointed at one. */
    public ResourceKind kind()
    {
        return kind;
    }

    public int keyspaceId()
    {
        return keyspaceId;
    }

    /** @return an immutable copy of the resource this target names. */
    public LockResource toResource()
    {
        final byte[] key = new byte[length];
        buffer.getBytes(offset, key);
        return LockResource.of(kind, keyspaceId, key);
    }

    @Override
    public String toString()
    {
        return kind == null ? "LockTarget{unset}" : toResource().toString();
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int offset()
    {
        return offset;
    }

    int length()
    {
        return length;
    }

    int hash()
    {
        return hash;
    }

    private LockTarget set(
        final ResourceKind kind, final int keyspaceId, final DirectBuffer key, final int offset, final int length)
    {
        Objects.requireNonNull(key, "key");
        if (offset < 0 || length < 0 || offset > key.capacity() - length)
        {
            throw new IndexOutOfBoundsException(
                "key range [" + offset + ", " + offset + " + " + length + ") is outside a buffer of capacity " +
                key.capacity());
        }
        this.kind = kind;
        this.keyspaceId = keyspaceId;
        this.buffer = key;
        this.offset = offset;
        this.length = length;
        this.hash = hash(kind, keyspaceId, key, offset, length);
        return this;
    }

    /**
     * Hash of a resource: kind, keyspace and every key byte, eight at a time, finished with the MurmurHash3
     * 64-bit mixer. Equal hashes never imply equal resources; the table compares the keys.
     */
    static int hash(
        final ResourceKind kind, final int keyspaceId, final DirectBuffer key, final int offset, final int length)
    {
        long h = (kind.ordinal() + 1L) * MIX ^ keyspaceId;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = (h ^ key.getLong(offset + i)) * MIX;
            h ^= h >>> 32;
        }
        for (; i < length; i++)
        {
            h = (h ^ (key.getByte(offset + i) & 0xFF)) * MIX;
        }
        h ^= length;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int)h;
    }
}
