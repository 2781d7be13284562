package dev.tidemark.lock;

/**
 * Lock modes and the standard multi-granularity compatibility matrix (Gray et al.).
 *
 * <pre>
 *          IS   IX   S    SIX  X
 *   IS     yes  yes  yes  yes  no
 *   IX     yes  yes  no   no   no
 *   S      yes  no   yes  no   no
 *   SIX    yes  no   no   no   no
 *   X      no   no   no   no   no
 * </pre>
 *
 * <p>Modes form a lattice by strength: {@code IS < IX, IS < S, IX < SIX, S < SIX, SIX < X}. Rows and ranges take
 * only {@link #S} and {@link #X}; keyspaces take all five. Immutable and thread-safe.
 */
public enum LockMode
{
    /** Intention shared: the holder reads rows of the keyspace under S locks. */
    IS(0b01111, 0b00001),
    /** Intention exclusive: the holder writes rows of the keyspace under X locks. */
    IX(0b00011, 0b00011),
    /** Shared. */
    S(0b00101, 0b00101),
    /** Shared plus intention exclusive: reads the whole keyspace, writes some rows of it. */
    SIX(0b00001, 0b01111),
    /** Exclusive. */
    X(0b00000, 0b11111);

    private final int compatibleMask;
    private final int coveredMask;

    LockMode(final int compatibleMask, final int coveredMask)
    {
        this.compatibleMask = compatibleMask;
        this.coveredMask = coveredMask;
    }

    /** @return true when one transaction may hold this mode while another holds {@code other}. */
    public boolean isCompatibleWith(final LockMode other)
    {
        return (compatibleMask & (1 << other.ordinal())) != 0;
    }

    /** @return true when holding this mode already gives everything {@code other} gives. */
    public boolean covers(final LockMode other)
    {
        return (coveredMask & (1 << other.ordinal())) != 0;
    }

    /** @return the weakest mode that covers both this mode and {@code other} (for example IX with S is SIX). */
    public LockMode join(final LockMode other)
    {
        if (covers(other))
        {
            return this;
        }
        if (other.covers(this))
        {
            return other;
        }
        // the only incomparable pair is {IX, S}, whose least upper bound is SIX
        return SIX;
    }

    /** @return the modes compatible with this one, as a bit set indexed by ordinal. */
    int compatibleMask()
    {
        return compatibleMask;
    }

    /** @return true when a lock of this mode may be taken on a row or a range (only S and X may). */
    public boolean isRowMode()
    {
        return this == S || this == X;
    }
}
