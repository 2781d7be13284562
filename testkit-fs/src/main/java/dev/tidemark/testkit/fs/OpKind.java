package dev.tidemark.testkit.fs;

/**
 * The kinds of I/O operation the {@link SimulatedFileSystem} counts, and on which a {@link FaultInjector} rule
 * can inject a failure. {@code exists}, {@code size} and the {@code close} methods are not counted and never
 * fail by injection.
 */
public enum OpKind
{
    /** {@link dev.tidemark.io.FileIo#open}. */
    OPEN,
    /** {@link dev.tidemark.io.FileHandle#read}. */
    READ,
    /** {@link dev.tidemark.io.FileHandle#write}. */
    WRITE,
    /** {@link dev.tidemark.io.FileHandle#force}. */
    FORCE,
    /** {@link dev.tidemark.io.FileHandle#map}. */
    MAP,
    /** {@link dev.tidemark.io.MappedRegion#force}. */
    MAP_FORCE,
    /** {@link dev.tidemark.io.FileHandle#truncate}. */
    TRUNCATE,
    /** {@link dev.tidemark.io.FileHandle#allocate}. */
    ALLOCATE,
    /** {@link dev.tidemark.io.FileIo#rename}. */
    RENAME,
    /** {@link dev.tidemark.io.FileIo#delete}. */
    DELETE,
    /** {@link dev.tidemark.io.FileIo#forceDirectory}. */
    FORCE_DIRECTORY,
    /** {@link dev.tidemark.io.FileIo#list}. */
    LIST,
    /** {@link dev.tidemark.io.FileIo#createDirectories}. */
    CREATE_DIRECTORY
}
