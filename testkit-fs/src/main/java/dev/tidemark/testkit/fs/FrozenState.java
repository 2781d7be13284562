package dev.tidemark.testkit.fs;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;

/**
 * What the disk and the volatile caches held when the simulated machine stopped: the durable names and
 * directories, each directory's pending entry changes, and for every file a reboot might see (durably named, or
 * named by a pending change) its durable image and pending changes. Every crash image is computed from it.
 *
 * <p>Immutable after capture (nothing may change the captured images), so thread-safe.
 */
final class FrozenState
{
    private final NavigableSet<Path> directories;
    private final NavigableMap<Path, Inode> durableFiles;
    private final NavigableMap<Path, List<DirOp>> pendingDirOps;
    private final Map<Inode, FrozenFile> files;

    private FrozenState(final NavigableSet<Path> directories,
        final NavigableMap<Path, Inode> durableFiles, final NavigableMap<Path, List<DirOp>> pendingDirOps,
        final Map<Inode, FrozenFile> files)
    {
        this.directories = directories;
        this.durableFiles = durableFiles;
        this.pendingDirOps = pendingDirOps;
        this.files = files;
    }

    static FrozenState capture(final NavigableSet<Path> directories,
        final NavigableMap<Path, Inode> durableFiles, final NavigableMap<Path, List<DirOp>> pendingDirOps)
    {
        final Map<Inode, FrozenFile> files = new IdentityHashMap<>();
        durableFiles.values().forEach(inode -> files.computeIfAbsent(inode, FrozenFile::of));
        pendingDirOps.values().forEach(ops -> ops.forEach(op ->
        {
            if (op.linked() != null)
            {
                files.computeIfAbsent(op.linked(), FrozenFile::of);
            }
        }));
        return new FrozenState(directories, durableFiles, pendingDirOps, files);
    }

    NavigableSet<Path> directories()
    {
        return directories;
    }

    NavigableMap<Path, Inode> durableFiles()
    {
        return durableFiles;
    }

    NavigableMap<Path, List<DirOp>> pendingDirOps()
    {
        return pendingDirOps;
    }

    FrozenFile file(final Inode inode)
    {
        return files.get(inode);
    }

    /** The durable image of one file and its pending changes, in the order a crash considers them. */
    record FrozenFile(ByteImage durable, List<PendingOp> pending)
    {
        static FrozenFile of(final Inode inode)
        {
            return new FrozenFile(inode.durable().copy(), List.copyOf(inode.pendingOps()));
        }
    }
}
