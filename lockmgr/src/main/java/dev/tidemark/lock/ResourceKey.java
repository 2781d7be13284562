package dev.tidemark.lock;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The identity of a resource kept in the lock table: kind, keyspace, a copy of the key bytes and the hash. Two
 * resources are the same only when all of it is equal; equal hashes alone never are. Reused with its head, so
 * its key storage only grows.
 *
 * <p>Not thread-safe: guarded by the lock of the stripe that holds the head.
 */
final class ResourceKey
{
    private final UnsafeBuffer bytes = new UnsafeBuffer(new byte[16]);
    private ResourceKind kind;
    private int keyspaceId;
    private int length;
    private int hash;

    void copyOf(final LockTarget target)
    {
        final int length = target.length();
        if (bytes.capacity() < length)
        {
            bytes.wrap(new byte[Math.max(length, bytes.capacity() * 2)]);
        }
        target.buffer().getBytes(target.offset(), bytes, 0, length);
        this.kind = target.kind();
        this.keyspaceId = target.keyspaceId();
        this.length = length;
        this.hash = target.hash();
    }

    int hash()
    {
        return hash;
    }

    boolean matches(final LockTarget target)
    {
        if (hash != target.hash() || kind != target.kind() || keyspaceId != target.keyspaceId() ||
            length != target.length())
        {
            return false;
        }
        final DirectBuffer key = target.buffer();
        final int offset = target.offset();
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (bytes.getLong(i) != key.getLong(offset + i))
            {
                return false;
            }
        }
        for (; i < length; i++)
        {
            if (bytes.getByte(i) != key.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    LockResource toResource()
    {
        final byte[] key = new byte[length];
        bytes.getBytes(0, key);
        return LockResource.of(kind, keyspaceId, key);
    }
}
