package dev.tidemark.testkit.fs;

import java.nio.file.Path;
import java.util.Map;

/**
 * A change to the entries of one directory that is not durable yet. Applied to a map of durable names when the
 * directory is forced, or when a crash keeps it. Immutable.
 */
sealed interface DirOp permits DirOp.Link, DirOp.Unlink, DirOp.Move
{
    void applyTo(Map<Path, Inode> names);

    /** @return the file this operation gives a name to, or null when it only removes one. */
    Inode linked();

    /** {@code path} names {@code inode} (creation, or the target half of a rename across directories). */
    record Link(Path path, Inode inode) implements DirOp
    {
        @Override
        public void applyTo(final Map<Path, Inode> names)
        {
            names.put(path, inode);
        }

        @Override
        public Inode linked()
        {
            return inode;
        }

        @Override
        public String toString()
        {
            return "link " + path.getFileName() + " -> inode " + inode.id();
        }
    }

    /** {@code path} no longer names anything (deletion, or the source half of a rename across directories). */
    record Unlink(Path path) implements DirOp
    {
        @Override
        public void applyTo(final Map<Path, Inode> names)
        {
            names.remove(path);
        }

        @Override
        public Inode linked()
        {
            return null;
        }

        @Override
        public String toString()
        {
            return "unlink " + path.getFileName();
        }
    }

    /** An atomic rename inside one directory, replacing any file named {@code to}. */
    record Move(Path from, Path to, Inode inode) implements DirOp
    {
        @Override
        public void applyTo(final Map<Path, Inode> names)
        {
            names.remove(from);
            names.put(to, inode);
        }

        @Override
        public Inode linked()
        {
            return inode;
        }

        @Override
        public String toString()
        {
            return "rename " + from.getFileName() + " -> " + to.getFileName();
        }
    }
}
