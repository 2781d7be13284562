package dev.tidemark.lock;

/**
 * What a lock protects. Resources of different kinds, keyspaces or keys never conflict with each other; the lock
 * manager does not infer a hierarchy (taking IX on the keyspace before X on a row is the caller's protocol).
 */
public enum ResourceKind
{
    /** A whole keyspace; modes IS, IX, S, SIX and X. */
    KEYSPACE,
    /** One key of a keyspace; modes S and X. */
    ROW,
    /**
     * The gap below a key: every absent key greater than the previous present key and smaller than this key
     * (next-key locking names a gap by its upper bound). Modes S and X.
     */
    RANGE,
    /** The gap above the greatest key of a keyspace, up to its end. Modes S and X. */
    RANGE_TO_END;

    boolean hasKey()
    {
        return this == ROW || this == RANGE;
    }
}
