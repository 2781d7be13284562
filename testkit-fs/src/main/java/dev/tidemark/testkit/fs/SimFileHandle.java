package dev.tidemark.testkit.fs;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;

/**
 * An open file of a {@link SimulatedFileSystem}. Behaves as {@code NioFileIo}'s handle does ({@code truncate}
 * never grows, writing through a read-only handle throws {@link NonWritableChannelException}), and makes each
 * change a pending operation of its {@link Inode}.
 *
 * <p>Thread-safe: every method runs under the lock of the file system. {@link #close()} never fails, even after
 * the simulated machine crashed.
 */
final class SimFileHandle implements FileHandle
{
    private final Kernel kernel;
    private final Inode inode;
    private final Path path;
    private final boolean writable;
    private boolean closed;

    SimFileHandle(final Kernel kernel, final Inode inode, final Path path, final boolean writable)
    {
        this.kernel = kernel;
        this.inode = inode;
        this.path = path;
        this.writable = writable;
    }

    @Override
    public Path path()
    {
        return path;
    }

    @Override
    public long size() throws IOException
    {
        synchronized (kernel.lock())
        {
            kernel.ensureRunning();
            ensureOpen();
            return inode.length();
        }
    }

    @Override
    public int read(final ByteBuffer dst, final long position) throws IOException
    {
        requireNonNegative(position, "position");
        synchronized (kernel.lock())
        {
            start(OpKind.READ, false);
            return inode.read(dst, position);
        }
    }

    @Override
    public void write(final ByteBuffer src, final long position) throws IOException
    {
        requireNonNegative(position, "position");
        synchronized (kernel.lock())
        {
            start(OpKind.WRITE, true);
            final long end = position + src.remaining();
            checkLength(end);
            final long growth = Math.max(0, end - inode.length());
            kernel.reserve(path, growth);
            final byte[] data = new byte[src.remaining()];
            src.get(data);
            inode.write(position, data);
            kernel.resized(growth);
        }
    }

    @Override
    public void truncate(final long size) throws IOException
    {
        requireNonNegative(size, "size");
        synchronized (kernel.lock())
        {
            start(OpKind.TRUNCATE, true);
            final long before = inode.length();
            if (size < before)
            {
                inode.setLength(size);
                kernel.resized(size - before);
            }
        }
    }

    @Override
    public void allocate(final long size) throws IOException
    {
        requireNonNegative(size, "size");
        synchronized (kernel.lock())
        {
            start(OpKind.ALLOCATE, true);
            final long before = inode.length();
            if (size > before)
            {
                checkLength(size);
                kernel.reserve(path, size - before);
                inode.setLength(size);
                kernel.resized(size - before);
            }
        }
    }

    @Override
    public MappedRegion map(final long position, final int size) throws IOException
    {
        requireNonNegative(position, "position");
        requireNonNegative(size, "size");
        synchronized (kernel.lock())
        {
            start(OpKind.MAP, true);
            if (position + size > inode.length())
            {
                throw new IOException(path + ": cannot map [" + position + ", " + (position + size)
                    + ") beyond the end of the file (" + inode.length() + " bytes); allocate the range first ("
                    + kernel.context() + ")");
            }
            final SimMappedRegion region = new SimMappedRegion(kernel, inode, path, position, size);
            inode.addMapping(region);
            kernel.mappingOpened(1);
            return region;
        }
    }

    @Override
    public void force() throws IOException
    {
        synchronized (kernel.lock())
        {
            final InjectedFaultException fault = kernel.admit(OpKind.FORCE, path);
            ensureOpen();
            if (fault != null)
            {
                if (kernel.failedForce() == FailedForce.DROP_PENDING)
                {
                    inode.forceAll(false);
                }
                throw fault;
            }
            inode.forceAll(true);
        }
    }

    @Override
    public void close()
    {
        synchronized (kernel.lock())
        {
            if (!closed)
            {
                closed = true;
                inode.closed();
                kernel.handleOpened(-1);
                kernel.release(inode);
            }
        }
    }

    @Override
    public String toString()
    {
        return "SimFileHandle[" + path + (closed ? ", closed" : "") + ", " + kernel.context() + "]";
    }

    private void start(final OpKind kind, final boolean writes) throws IOException
    {
        final InjectedFaultException fault = kernel.admit(kind, path);
        ensureOpen();
        if (writes && !writable)
        {
            throw new NonWritableChannelException();
        }
        if (fault != null)
        {
            throw fault;
        }
    }

    private void ensureOpen() throws ClosedChannelException
    {
        if (closed)
        {
            throw new ClosedChannelException();
        }
    }

    private void checkLength(final long length) throws IOException
    {
        if (length > ByteImage.MAX_LENGTH)
        {
            throw new IOException(path + ": " + length + " bytes is larger than a simulated file can be ("
                + ByteImage.MAX_LENGTH + "; " + kernel.context() + ")");
        }
    }

    private static void requireNonNegative(final long value, final String name)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
