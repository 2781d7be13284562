package dev.tidemark.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one seam through which every Tidemark module touches files. The production implementation is
 * {@link NioFileIo}; the testkit implements it as a simulated file system that can lose unsynced data, tear
 * writes, inject errors and fill the disk.
 *
 * <p>Durability contract (the same for every implementation): file contents become durable only through
 * {@link FileHandle#force()} or {@link MappedRegion#force(int, int)}; the existence and names of files become
 * durable only through {@link #forceDirectory(Path)} of the directory that holds them. A full device is reported
 * as {@link NoSpaceException}. Implementations are thread-safe.
 */
public interface FileIo
{
    /** How {@link #open(Path, OpenMode)} treats a missing or existing file. */
    enum OpenMode
    {
        /** Read only; the file must exist. */
        READ,
        /** Read and write; the file must exist. */
        READ_WRITE,
        /** Read and write; the file is created when missing (the directory must then be forced). */
        CREATE,
        /** Read and write; the file must not exist yet. */
        CREATE_NEW
    }

    FileHandle open(Path file, OpenMode mode) throws IOException;

    boolean exists(Path path);

    /** @return the entries of a directory, sorted by name; empty when the directory does not exist. */
    List<Path> list(Path directory) throws IOException;

    /** Creates a directory and its missing parents, forcing each parent that gained an entry. */
    void createDirectories(Path directory) throws IOException;

    /** Atomically renames, replacing any existing target. Durable after forcing the directory. */
    void rename(Path source, Path target) throws IOException;

    /** Deletes a file; no error when it is already gone. Durable after forcing the directory. */
    void delete(Path file) throws IOException;

    /** Makes the creations, renames and deletions inside {@code directory} durable. */
    void forceDirectory(Path directory) throws IOException;

    /**
     * Takes an exclusive lock on {@code file} (created when missing) that other processes see, for as long as the
     * returned handle stays open.
     *
     * @return the lock, or null when another process (or another holder in this one) has it
     */
    Closeable tryLock(Path file) throws IOException;
}
