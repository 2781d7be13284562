package dev.tidemark.testkit.fs;

/**
 * How {@link SimulatedFileSystem#crash(CrashMode)} builds the disk a reboot sees from the durable images and the
 * pending changes. Per file, the pending changes are its explicit writes and length changes in issue order,
 * followed by the 512-byte sectors dirtied through mappings in ascending offset order. Per directory, the pending
 * changes are its creations, renames and deletions in issue order: {@link #DROP_ALL} loses them all, every other
 * mode keeps a random prefix of each directory's.
 */
public enum CrashMode
{
    /** Only durable data survives: every pending change is lost. */
    DROP_ALL,
    /** Per file, a random prefix of its pending changes survives. */
    RANDOM_PREFIX,
    /** Per file, a random subset of its pending changes survives, applied in issue order (reordered writes). */
    RANDOM_SUBSET,
    /**
     * A random prefix survives and the next pending write is torn: only its first pieces survive, the write cut
     * at every 512-byte boundary of the file offset (at least one piece, never all of them).
     */
    TORN_512,
    /** As {@link #TORN_512}, with the write cut at 4 KiB boundaries. */
    TORN_4K,
    /**
     * A random prefix survives; every byte (inside the surviving file length) of a pending write that did not
     * survive holds random bytes. Bytes outside the lost writes keep their value even when they share a sector:
     * sector writes are atomic (SQLite's powersafe overwrite). The engine must detect the garbage (checksums),
     * never return it as data.
     */
    GARBAGE
}
