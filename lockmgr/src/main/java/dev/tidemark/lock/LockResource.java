package dev.tidemark.lock;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable name of a lockable resource, as reported by the lock-wait view and accepted by
 * {@link LockTarget#set(LockResource)}. Two resources are equal when kind, keyspace and key bytes are equal.
 */
public final class LockResource
{
    private final ResourceKind kind;
    private final int keyspaceId;
    private final byte[] key;

    private LockResource(final ResourceKind kind, final int keyspaceId, final byte[] key)
    {
        this.kind = kind;
        this.keyspaceId = keyspaceId;
        this.key = key;
    }

    public static LockResource keyspace(final int keyspaceId)
    {
        return new LockResource(ResourceKind.KEYSPACE, keyspaceId, new byte[0]);
    }

    public static LockResource row(final int keyspaceId, final byte[] key)
    {
        return new LockResource(ResourceKind.ROW, keyspaceId, key.clone());
    }

    public static LockResource range(final int keyspaceId, final byte[] key)
    {
        return new LockResource(ResourceKind.RANGE, keyspaceId, key.clone());
    }

    public static LockResource rangeToEnd(final int keyspaceId)
    {
        return new LockResource(ResourceKind.RANGE_TO_END, keyspaceId, new byte[0]);
    }

    /** Takes ownership of {@code key}; callers pass a fresh copy. */
    static LockResource of(final ResourceKind kind, final int keyspaceId, final byte[] key)
    {
        return new LockResource(kind, keyspaceId, kind.hasKey() ? key : new byte[0]);
    }

    public ResourceKind kind()
    {
        return kind;
    }

    public int keyspaceId()
    {
        return keyspaceId;
    }

    /** @return a copy of the key; empty for keyspaces and {@link ResourceKind#RANGE_TO_END}. */
    public byte[] key()
    {
        return key.clone();
    }

    byte[] keyBytes()
    {
        return key;
    }

    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof LockResource))
        {
            return false;
        }
        final LockResource that = (LockResource)other;
        return kind == that.kind && keyspaceId == that.keyspaceId && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(kind, keyspaceId) * 31 + Arrays.hashCode(key);
    }

    /** @return for example {@code ROW(3:6b6579)}: kind, keyspace and the key in hex. */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(kind.name()).append('(').append(keyspaceId);
        if (kind.hasKey())
        {
            text.append(':');
            for (final byte b : key)
            {
                text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
        }
        return text.append(')').toString();
    }
}
