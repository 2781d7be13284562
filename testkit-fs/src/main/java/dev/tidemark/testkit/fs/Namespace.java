package dev.tidemark.testkit.fs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The names of the simulated file system: the current ones (what {@code open} and {@code list} see), the durable
 * ones (what a reboot sees for sure) and, per directory, the pending creations, renames and deletions between
 * the two. Directories are created and removed durably at once (as {@code createDirectories} forces each parent);
 * a filesystem root always exists. Paths are absolute and normalised by the caller.
 *
 * <p>Not thread-safe: {@link SimulatedFileSystem} calls it under its lock.
 */
final class Namespace
{
    private final NavigableSet<Path> directories = new TreeSet<>();
    private final NavigableMap<Path, Inode> files = new TreeMap<>();
    private final NavigableMap<Path, Inode> durableFiles = new TreeMap<>();
    private final NavigableMap<Path, List<DirOp>> pending = new TreeMap<>();

    Namespace(final Set<Path> directories, final Map<Path, Inode> durableFiles)
    {
        this.directories.addAll(directories);
        this.files.putAll(durableFiles);
        this.durableFiles.putAll(durableFiles);
        durableFiles.values().forEach(Inode::link);
    }

    boolean isDirectory(final Path path)
    {
        return path.getParent() == null || directories.contains(path);
    }

    boolean exists(final Path path)
    {
        return isDirectory(path) || files.containsKey(path);
    }

    /** @return the file currently named {@code path}, or null. */
    Inode file(final Path path)
    {
        return files.get(path);
    }

    /** @return the file durably named {@code path}, or null. */
    Inode durableFile(final Path path)
    {
        return durableFiles.get(path);
    }

    NavigableSet<Path> durableFileNames()
    {
        return new TreeSet<>(durableFiles.keySet());
    }

    void addDirectory(final Path directory)
    {
        directories.add(directory);
    }

    /** @return whether {@code directory} had no entry, current, durable or pending, and so was removed. */
    boolean removeEmptyDirectory(final Path directory)
    {
        final boolean empty = children(directory).isEmpty() && !pending.containsKey(directory)
            && durableFiles.keySet().stream().noneMatch(path -> directory.equals(path.getParent()));
        if (empty)
        {
            directories.remove(directory);
        }
        return empty;
    }

    void create(final Path path, final Inode inode)
    {
        files.put(path, inode);
        inode.link();
        pendingOf(path.getParent()).add(new DirOp.Link(path, inode));
    }

    /** @return the file that lost its name {@code path}, or null when there was none. */
    Inode delete(final Path path)
    {
        final Inode removed = files.remove(path);
        if (removed != null)
        {
            removed.unlink();
            pendingOf(path.getParent()).add(new DirOp.Unlink(path));
        }
        return removed;
    }

    /** Renames the file {@code from}, which must exist; @return the file {@code to} named before, or null. */
    Inode rename(final Path from, final Path to)
    {
        final Inode inode = files.remove(from);
        final Inode replaced = files.put(to, inode);
        if (replaced != null)
        {
            replaced.unlink();
        }
        if (from.getParent().equals(to.getParent()))
        {
            pendingOf(from.getParent()).add(new DirOp.Move(from, to, inode));
        }
        else
        {
            pendingOf(from.getParent()).add(new DirOp.Unlink(from));
            pendingOf(to.getParent()).add(new DirOp.Link(to, inode));
        }
        return replaced;
    }

    /** Makes the pending entry changes of {@code directory} durable. */
    void force(final Path directory)
    {
        final List<DirOp> ops = pending.remove(directory);
        if (ops != null)
        {
            ops.forEach(op -> op.applyTo(durableFiles));
        }
    }

    /** @return the names of the entries (files and directories) directly inside {@code directory}, sorted. */
    List<Path> children(final Path directory)
    {
        final NavigableSet<Path> names = new TreeSet<>();
        for (final Path dir : directories)
        {
            if (directory.equals(dir.getParent()))
            {
                names.add(dir.getFileName());
            }
        }
        for (final Path file : files.keySet())
        {
            if (directory.equals(file.getParent()))
            {
                names.add(file.getFileName());
            }
        }
        return new ArrayList<>(names);
    }

    /** @return a deep copy of the state a crash starts from. */
    FrozenState freeze()
    {
        final NavigableMap<Path, List<DirOp>> pendingCopy = new TreeMap<>();
        pending.forEach((dir, ops) -> pendingCopy.put(dir, List.copyOf(ops)));
        return FrozenState.capture(new TreeSet<>(directories), new TreeMap<>(durableFiles),
            pendingCopy);
    }

    private List<DirOp> pendingOf(final Path directory)
    {
        return pending.computeIfAbsent(directory, dir -> new ArrayList<>());
    }

    String describe()
    {
        final StringBuilder out = new StringBuilder();
        directories.forEach(dir -> out.append("  dir ").append(dir).append('\n'));
        files.forEach((path, inode) -> out.append("  file ").append(path).append(": ").append(inode.describe())
            .append(durableFiles.get(path) == inode ? "" : " (name not durable)").append('\n'));
        pending.forEach((dir, ops) -> out.append("  pending in ").append(dir).append(": ").append(ops)
            .append('\n'));
        return out.toString();
    }
}
