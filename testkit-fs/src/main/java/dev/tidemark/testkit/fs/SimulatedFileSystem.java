package dev.tidemark.testkit.fs;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * An in-memory {@link FileIo} that can crash: each file has a durable image and pending changes, and
 * {@link #crash(CrashMode)} returns the file system a reboot sees, built from the durable state by the fault model
 * of TESTING.md. Nothing touches the real disk: paths are keys, made absolute and normalised.
 *
 * <p>Durability follows the {@link FileIo} contract strictly: {@link FileHandle#force()} makes the file's content
 * and length durable; {@link dev.tidemark.io.MappedRegion#force(int, int)} makes durable the part of its range
 * that lies inside every length the file may have after a crash (force the file after {@code allocate});
 * creations, renames and deletions are durable once {@link #forceDirectory(Path)} of the directory holding the
 * name ran (a rename across directories is an unlink in one and a link in the other). Directories are created and
 * removed durably at once. Reads see the current content, mapped writes included, as a page cache would.
 *
 * <p>Faults: {@link #faults()} counts operations and injects failures and a crash point; a capacity makes writes
 * fail with {@link dev.tidemark.io.NoSpaceException}. Every random choice derives from the seed given at
 * construction, which every failure message, {@link #toString()} and {@link #describe()} carry.
 *
 * <p>Thread-safe: one lock per instance serialises every operation, of its handles and mappings too; mapped
 * buffers are read and written without it. No state is shared between instances.
 */
public final class SimulatedFileSystem implements FileIo
{
    private final Kernel kernel;
    private final Namespace namespace;
    private final Set<Path> heldLocks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long nextInode;

    /** A file system with unlimited capacity and {@link FailedForce#DROP_PENDING}; only roots exist. */
    public SimulatedFileSystem(final long seed)
    {
        this(builder(seed));
    }

    private SimulatedFileSystem(final Builder builder)
    {
        this.namespace = new Namespace(Set.of(), Map.of());
        this.kernel = new Kernel(builder.seed, 0, builder.failedForce, builder.capacity, namespace::freeze);
    }

    private SimulatedFileSystem(final Builder builder, final int generation,
        final CrashSimulator.RebootImage image)
    {
        final Map<ByteImage, Inode> inodes = new IdentityHashMap<>();
        final Map<Path, Inode> files = new TreeMap<>();
        image.files().forEach((path, content) ->
            files.put(path, inodes.computeIfAbsent(content, c -> new Inode(++nextInode, c))));
        this.namespace = new Namespace(image.directories(), files);
        this.kernel = new Kernel(builder.seed, generation, builder.failedForce, builder.capacity,
            namespace::freeze);
        inodes.values().forEach(inode -> kernel.resized(inode.length()));
    }

    /** @return a builder for a file system whose random choices all derive from {@code seed}. */
    public static Builder builder(final long seed)
    {
        return new Builder(seed);
    }

    @Override
    public FileHandle open(final Path file, final OpenMode mode) throws IOException
    {
        final Path path = normalise(file);
        synchronized (kernel.lock())
        {
            throwIfFault(kernel.admit(OpKind.OPEN, path));
            if (namespace.isDirectory(path))
            {
                throw new FileSystemException(file.toString(), null, "is a directory (" + kernel.context() + ")");
            }
            Inode inode = namespace.file(path);
            if (inode == null && (mode == OpenMode.READ || mode == OpenMode.READ_WRITE))
            {
                throw new NoSuchFileException(file.toString(), null, kernel.context());
            }
            if (inode != null && mode == OpenMode.CREATE_NEW)
            {
                throw new FileAlreadyExistsException(file.toString(), null, kernel.context());
            }
            if (inode == null)
            {
                requireDirectory(path.getParent());
                inode = new Inode(++nextInode, new ByteImage());
                namespace.create(path, inode);
            }
            inode.opened();
            kernel.handleOpened(1);
            return new SimFileHandle(kernel, inode, file, mode != OpenMode.READ);
        }
    }

    /** @throws UncheckedIOException wrapping {@link SimulatedCrashException} once the machine crashed. */
    @Override
    public boolean exists(final Path path)
    {
        final Path normalised = normalise(path);
        synchronized (kernel.lock())
        {
            try
            {
                kernel.ensureRunning();
            }
            catch (final SimulatedCrashException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return namespace.exists(normalised);
        }
    }

    @Override
    public List<Path> list(final Path directory) throws IOException
    {
        final Path path = normalise(directory);
        synchronized (kernel.lock())
        {
            throwIfFault(kernel.admit(OpKind.LIST, path));
            final List<Path> entries = new ArrayList<>();
            if (namespace.isDirectory(path))
            {
                namespace.children(path).forEach(name -> entries.add(directory.resolve(name)));
            }
            return entries;
        }
    }

    @Override
    public void createDirectories(final Path directory) throws IOException
    {
        final Path path = normalise(directory);
        synchronized (kernel.lock())
        {
            throwIfFault(kernel.admit(OpKind.CREATE_DIRECTORY, path));
            for (Path at = path.getRoot(); ; )
            {
                if (namespace.file(at) != null)
                {
                    throw new FileAlreadyExistsException(at.toString(), null,
                        "a file is in the way of a directory (" + kernel.context() + ")");
                }
                if (!namespace.isDirectory(at))
                {
                    namespace.addDirectory(at);
                    namespace.force(at.getParent());
                }
                if (at.equals(path))
                {
                    return;
                }
                at = at.resolve(path.getName(at.getNameCount()));
            }
        }
    }

    @Override
    public void rename(final Path source, final Path target) throws IOException
    {
        final Path from = normalise(source);
        final Path to = normalise(target);
        synchronized (kernel.lock())
        {
            throwIfFault(kernel.admit(OpKind.RENAME, from + " -> " + to));
            if (namespace.file(from) == null)
            {
                throw new NoSuchFileException(source.toString(), target.toString(), namespace.isDirectory(from)
                    ? "renaming a directory is not simulated (" + kernel.context() + ")" : kernel.context());
            }
            if (namespace.isDirectory(to))
            {
                throw new FileSystemException(source.toString(), target.toString(),
                    "the target is a directory (" + kernel.context() + ")");
            }
            requireDirectory(to.getParent());
            if (!from.equals(to))
            {
                final Inode replaced = namespace.rename(from, to);
                if (replaced != null)
                {
                    kernel.release(replaced);
                }
            }
        }
    }

    /** Deletes a file, or a directory that has no entry (current, durable or pending); the latter durably. */
    @Override
    public void delete(final Path file) throws IOException
    {
        final Path path = normalise(file);
        synchronized (kernel.lock())
        {
            throwIfFault(kernel.admit(OpKind.DELETE, path));
            if (namespace.isDirectory(path))
            {
                if (path.getParent() == null || !namespace.removeEmptyDirectory(path))
                {
                    throw new DirectoryNotEmptyException(file + " (" + kernel.context() + ")");
                }
                return;
            }
            final Inode removed = namespace.delete(path);
            if (removed != null)
            {
                kernel.release(removed);
            }
        }
    }

    /** An injected failure leaves the directory's pending entry changes pending. */
    @Override
    public void forceDirectory(final Path directory) throws IOException
    {
        final Path path = normalise(directory);
        synchronized (kernel.lock())
        {
            throwIfFault(kernel.admit(OpKind.FORCE_DIRECTORY, path));
            requireDirectory(path);
            namespace.force(path);
        }
    }

    /**
     * Locks are held in this instance only: they stand for the locks of the one simulated process, and a
     * {@link #crash} (a reboot) drops them all. The lock file is created like any file.
     */
    @Override
    public java.io.Closeable tryLock(final Path file) throws IOException
    {
        final Path path = normalise(file);
        open(path, OpenMode.CREATE).close();
        if (!heldLocks.add(path))
        {
            return null;
        }
        return () -> heldLocks.remove(path);
    }

    /** @return the fault injector of this instance: operation counts, failure rules and the crash point. */
    public FaultInjector faults()
    {
        return kernel.faults();
    }

    /** @return the seed every random choice of this instance derives from. */
    public long seed()
    {
        return kernel.seed();
    }

    /** Crashes the machine now, as a power cut would: every later operation throws SimulatedCrashException. */
    public void halt()
    {
        synchronized (kernel.lock())
        {
            kernel.halt("by halt() after I/O operation #" + kernel.faults().operationCount());
        }
    }

    /** @return whether the machine crashed (crash point reached, {@link #halt()} or {@link #crash}). */
    public boolean isHalted()
    {
        synchronized (kernel.lock())
        {
            return kernel.isHalted();
        }
    }

    /** {@link #crash(CrashMode, long)} with this instance's seed. */
    public SimulatedFileSystem crash(final CrashMode mode)
    {
        return crash(mode, kernel.seed());
    }

    /**
     * Crashes the machine (unless it already crashed) and returns the file system a reboot sees: a new instance
     * with fresh handles, counts and rules, the same capacity, holding the durable state after {@code mode} was
     * applied to the pending changes with random choices drawn from {@code crashSeed}. May be called again on the
     * crashed instance: the same mode and seed give the same image.
     */
    public SimulatedFileSystem crash(final CrashMode mode, final long crashSeed)
    {
        final SplittableRandom random = new SplittableRandom(crashSeed);
        final Builder reboot = builder(random.nextLong()).failedForce(kernel.failedForce());
        final FrozenState frozen;
        synchronized (kernel.lock())
        {
            kernel.halt("by crash(" + mode + ") after I/O operation #" + kernel.faults().operationCount());
            frozen = kernel.frozen();
            reboot.capacity(kernel.capacity());
        }
        final CrashSimulator.RebootImage image = new CrashSimulator(frozen, mode, random).run();
        return new SimulatedFileSystem(reboot, kernel.generation() + 1, image);
    }

    /** @return the capacity: the most bytes all live files may hold together. */
    public long capacity()
    {
        synchronized (kernel.lock())
        {
            return kernel.capacity();
        }
    }

    /** Sets the capacity; lowering it below {@link #usedBytes()} makes every growth fail, and deletes nothing. */
    public void capacity(final long bytes)
    {
        if (bytes < 0)
        {
            throw new IllegalArgumentException("capacity must not be negative: " + bytes);
        }
        synchronized (kernel.lock())
        {
            kernel.capacity(bytes);
        }
    }

    /** @return the current lengths of every file that a name, an open handle or a mapping holds, summed. */
    public long usedBytes()
    {
        synchronized (kernel.lock())
        {
            return kernel.used();
        }
    }

    /** @return the paths whose names are durable, sorted: the files a {@link CrashMode#DROP_ALL} reboot shows. */
    public List<Path> durableFiles()
    {
        synchronized (kernel.lock())
        {
            return new ArrayList<>(namespace.durableFileNames());
        }
    }

    /** @return the durable image of the file durably named {@code file}. */
    public byte[] durableBytes(final Path file)
    {
        synchronized (kernel.lock())
        {
            return durableInode(file).durable().toByteArray();
        }
    }

    /** @return the current content (what a read sees) of the file named {@code file}. */
    public byte[] currentBytes(final Path file)
    {
        synchronized (kernel.lock())
        {
            final Inode inode = namespace.file(normalise(file));
            if (inode == null)
            {
                throw new IllegalArgumentException("no file " + file + " (" + kernel.context() + ")");
            }
            return inode.currentBytes();
        }
    }

    /**
     * Damages the disk: XORs the durable byte at {@code offset} of {@code file} with {@code xorMask}. A file with
     * no pending change shows the damage to reads at once (as on a freshly rebooted instance); otherwise the page
     * cache still holds the good byte, which a later force or crash may write back.
     *
     * @throws IllegalStateException on a crashed instance: damage the rebooted one
     */
    public void corruptByte(final Path file, final long offset, final int xorMask)
    {
        synchronized (kernel.lock())
        {
            if (kernel.isHalted())
            {
                throw new IllegalStateException("this instance crashed; corrupt the one crash() returned ("
                    + kernel.context() + ")");
            }
            final Inode inode = durableInode(file);
            if (offset < 0 || offset >= inode.durable().length())
            {
                throw new IllegalArgumentException("offset " + offset + " outside the durable " + inode.durable()
                    .length() + " bytes of " + file + " (" + kernel.context() + ")");
            }
            inode.corruptDurable((int)offset, xorMask);
        }
    }

    /** @return the number of handles opened and not closed yet, to detect leaks. */
    public int openHandleCount()
    {
        synchronized (kernel.lock())
        {
            return kernel.openHandles();
        }
    }

    /** @return the number of mappings made and not closed yet, to detect leaks. */
    public int openMappingCount()
    {
        synchronized (kernel.lock())
        {
            return kernel.openMappings();
        }
    }

    /** @return a multi-line dump: seed, state, every directory and file with its pending changes. */
    public String describe()
    {
        synchronized (kernel.lock())
        {
            return this + "\n" + namespace.describe();
        }
    }

    @Override
    public String toString()
    {
        synchronized (kernel.lock())
        {
            return "SimulatedFileSystem[" + kernel.context() + ", " + kernel.state() + ", "
                + kernel.faults().operationCount() + " operations, " + kernel.used() + " of "
                + kernel.capacity() + " bytes used, failed force: " + kernel.failedForce() + "]";
        }
    }

    private Inode durableInode(final Path file)
    {
        final Inode inode = namespace.durableFile(normalise(file));
        if (inode == null)
        {
            throw new IllegalArgumentException("no durable file " + file + " (" + kernel.context() + ")");
        }
        return inode;
    }

    private void requireDirectory(final Path directory) throws NoSuchFileException
    {
        if (directory == null || !namespace.isDirectory(directory))
        {
            throw new NoSuchFileException(String.valueOf(directory), null,
                "no such directory (" + kernel.context() + ")");
        }
    }

    private static void throwIfFault(final InjectedFaultException fault) throws InjectedFaultException
    {
        if (fault != null)
        {
            throw fault;
        }
    }

    private static Path normalise(final Path path)
    {
        return path.toAbsolutePath().normalize();
    }

    /**
     * Options of a new {@link SimulatedFileSystem}. Not thread-safe; {@link #build()} validates and may be called
     * more than once.
     */
    public static final class Builder
    {
        private final long seed;
        private long capacity = Long.MAX_VALUE;
        private FailedForce failedForce = FailedForce.DROP_PENDING;

        private Builder(final long seed)
        {
            this.seed = seed;
        }

        /** Sets the most bytes all files may hold together; default unlimited. */
        public Builder capacity(final long bytes)
        {
            this.capacity = bytes;
            return this;
        }

        /** Sets what an injected force failure does to pending data; default {@link FailedForce#DROP_PENDING}. */
        public Builder failedForce(final FailedForce failedForce)
        {
            this.failedForce = failedForce;
            return this;
        }

        public SimulatedFileSystem build()
        {
            if (capacity < 0)
            {
                throw new IllegalArgumentException("capacity must not be negative: " + capacity);
            }
            if (failedForce == null)
            {
                throw new IllegalArgumentException("failedForce must not be null");
            }
            return new SimulatedFileSystem(this);
        }
    }
}
