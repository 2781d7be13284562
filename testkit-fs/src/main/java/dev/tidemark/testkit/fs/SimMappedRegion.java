package dev.tidemark.testkit.fs;

import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.file.Path;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A mapping of part of a simulated file: an {@link UnsafeBuffer} over the file's current content array, so that
 * writes through it are seen at once by reads of the file, and are pending until a {@link #force(int, int)} (or
 * a force of the file) covers them.
 *
 * <p>Thread-safety: {@link #force(int, int)} and {@link #close()} run under the lock of the file system; the
 * buffer is used without it, as real mapped memory is. When the file grows past its array capacity the buffer is
 * re-wrapped onto the new array under the lock: a write through this mapping racing with such growth of the same
 * file may be lost, so allocate a file fully before mapping it. After a crash the buffer still accepts writes,
 * into memory that nothing reads any more. After {@link #close()} it is wrapped over an empty array, so any use
 * fails fast.
 */
final class SimMappedRegion implements MappedRegion
{
    private final Kernel kernel;
    private final Inode inode;
    private final Path path;
    private final long position;
    private final int size;
    private final UnsafeBuffer buffer;
    private boolean closed;

    SimMappedRegion(final Kernel kernel, final Inode inode, final Path path, final long position, final int size)
    {
        this.kernel = kernel;
        this.inode = inode;
        this.path = path;
        this.position = position;
        this.size = size;
        this.buffer = new UnsafeBuffer(inode.currentArray(), (int)position, size);
    }

    @Override
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    @Override
    public long position()
    {
        return position;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public void force(final int offset, final int length) throws IOException
    {
        if (offset < 0 || length < 0 || offset + length > size)
        {
            throw new IndexOutOfBoundsException("force [" + offset + ", " + (offset + length)
                + ") outside the mapping of " + size + " bytes");
        }
        synchronized (kernel.lock())
        {
            final InjectedFaultException fault = kernel.admit(OpKind.MAP_FORCE, path);
            if (closed)
            {
                throw new IOException(path + ": mapping at " + position + " is closed (" + kernel.context() + ")");
            }
            final long from = position + offset;
            if (fault != null)
            {
                if (kernel.failedForce() == FailedForce.DROP_PENDING)
                {
                    inode.forceRange(from, from + length, false);
                }
                throw fault;
            }
            inode.forceRange(from, from + length, true);
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
                inode.removeMapping(this);
                buffer.wrap(new byte[0]);
                kernel.mappingOpened(-1);
                kernel.release(inode);
            }
        }
    }

    /** Points the buffer at the file's new content array; caller holds the lock. */
    void rewrap(final byte[] array)
    {
        buffer.wrap(array, (int)position, size);
    }

    @Override
    public String toString()
    {
        return "SimMappedRegion[" + path + " [" + position + ", " + (position + size) + ")"
            + (closed ? ", closed" : "") + ", " + kernel.context() + "]";
    }
}
