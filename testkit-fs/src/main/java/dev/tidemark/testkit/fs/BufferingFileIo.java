package dev.tidemark.testkit.fs;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.ForwardingFileIo;
import dev.tidemark.io.MappedRegion;
import dev.tidemark.io.NioFileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The real file system with the page cache moved into the process: file contents written through this layer stay
 * in the process's memory until a {@code force} writes them to the file and forces it. A process killed with
 * SIGKILL therefore loses every write it did not force, as a power cut would, which {@code kill -9} on the real
 * file system alone never shows (the operating system's page cache survives the process). Reads and mappings see
 * the process's copy. Directory operations (create, rename, delete) go to the operating system at once; only file
 * contents are held back.
 *
 * <p>Each file is held whole in direct memory while the layer lives, so it suits test databases of some hundreds of
 * megabytes. A file cannot grow while a mapping of it is open (the log unmaps before it grows a segment).
 */
public final class BufferingFileIo extends ForwardingFileIo
{
    private static final int BLOCK = 4096;

    private final Map<Path, Image> images = new HashMap<>();

    public BufferingFileIo()
    {
        super(new NioFileIo());
    }

    @Override
    public FileHandle open(final Path file, final OpenMode mode) throws IOException
    {
        final Path path = file.toAbsolutePath().normalize();
        final FileHandle real = delegate().open(path, mode);
        try
        {
            final Image image;
            synchronized (images)
            {
                Image known = images.get(path);
                if (known == null || mode == OpenMode.CREATE_NEW)
                {
                    known = Image.load(real);
                    images.put(path, known);
                }
                image = known;
            }
            return new Handle(path, image, real);
        }
        catch (final IOException | RuntimeException ex)
        {
            real.close();
            throw ex;
        }
    }

    @Override
    public void rename(final Path source, final Path target) throws IOException
    {
        delegate().rename(source, target);
        synchronized (images)
        {
            final Image moved = images.remove(source.toAbsolutePath().normalize());
            final Path to = target.toAbsolutePath().normalize();
            if (moved != null)
            {
                images.put(to, moved);
            }
            else
            {
                images.remove(to);
            }
        }
    }

    @Override
    public void delete(final Path file) throws IOException
    {
        delegate().delete(file);
        synchronized (images)
        {
            images.remove(file.toAbsolutePath().normalize());
        }
    }

    /** One file's contents as the process sees them, and which 4 KiB blocks differ from the file on disk. */
    private static final class Image
    {
        private ByteBuffer memory;
        private long length;
        private long diskLength;
        private final BitSet dirty = new BitSet();
        private int mappings;

        private Image(final ByteBuffer memory, final long length)
        {
            this.memory = memory;
            this.length = length;
            this.diskLength = length;
        }

        static Image load(final FileHandle real) throws IOException
        {
            final long size = real.size();
            final ByteBuffer memory = ByteBuffer.allocateDirect(capacityFor(size));
            final ByteBuffer into = memory.duplicate().limit((int)size);
            real.readFully(into, 0);
            return new Image(memory, size);
        }

        private static int capacityFor(final long size)
        {
            if (size > Integer.MAX_VALUE - BLOCK)
            {
                throw new IllegalArgumentException("the buffering file layer holds files below 2 GiB, not " + size);
            }
            return (int)Math.max(BLOCK, size);
        }

        private void ensureCapacity(final long size) throws IOException
        {
            if (size <= memory.capacity())
            {
                return;
            }
            if (mappings > 0)
            {
                throw new IOException("the buffering file layer cannot grow a file while it is mapped");
            }
            final ByteBuffer grown = ByteBuffer.allocateDirect(capacityFor(Math.max(size,
                Math.min((long)memory.capacity() * 2, Integer.MAX_VALUE - BLOCK))));
            grown.put(memory.duplicate().clear().limit((int)length));
            memory = grown;
        }

        synchronized long size()
        {
            return length;
        }

        synchronized int read(final ByteBuffer dst, final long position)
        {
            if (position >= length)
            {
                return -1;
            }
            final int n = (int)Math.min(dst.remaining(), length - position);
            dst.put(memory.duplicate().clear().position((int)position).limit((int)position + n));
            return n;
        }

        synchronized void write(final ByteBuffer src, final long position) throws IOException
        {
            final int n = src.remaining();
            ensureCapacity(position + n);
            if (position > length)
            {
                zero(length, position);
            }
            memory.duplicate().clear().position((int)position).put(src);
            dirty.set((int)(position / BLOCK), (int)((position + n + BLOCK - 1) / BLOCK));
            length = Math.max(length, position + n);
        }

        synchronized void truncate(final long size)
        {
            if (size < length)
            {
                zero(size, length);
                length = size;
            }
        }

        synchronized void allocate(final long size) throws IOException
        {
            if (size > length)
            {
                ensureCapacity(size);
                zero(length, size);
                length = size;
            }
        }

        private void zero(final long from, final long to)
        {
            final ByteBuffer range = memory.duplicate().clear().position((int)from).limit((int)to);
            while (range.hasRemaining())
            {
                range.put((byte)0);
            }
        }

        synchronized AtomicBuffer map(final long position, final int size) throws IOException
        {
            if (position < 0 || position + size > length)
            {
                throw new IOException("cannot map [" + position + ", " + (position + size) + ") of a file of "
                    + length + " bytes");
            }
            mappings++;
            return new UnsafeBuffer(memory, (int)position, size);
        }

        synchronized void unmapped()
        {
            mappings--;
        }

        /** Writes what differs from the file on disk, its length included, and forces the file. */
        synchronized void flush(final FileHandle real) throws IOException
        {
            if (length < diskLength)
            {
                real.truncate(length);
            }
            else if (length > diskLength)
            {
                real.allocate(length);
            }
            for (int block = dirty.nextSetBit(0); block >= 0; block = dirty.nextSetBit(block + 1))
            {
                final long from = (long)block * BLOCK;
                if (from < length)
                {
                    writeRange(real, from, Math.min(length, from + BLOCK));
                }
            }
            dirty.clear();
            diskLength = length;
            real.force();
        }

        /** Writes {@code [from, to)} (a mapping's writes are not tracked) and forces the file. */
        synchronized void flushRange(final FileHandle real, final long from, final long to) throws IOException
        {
            final long end = Math.min(to, length);
            if (end > diskLength)
            {
                real.allocate(end);
                diskLength = end;
            }
            if (from < end)
            {
                writeRange(real, from, end);
            }
            real.force();
        }

        private void writeRange(final FileHandle real, final long from, final long to) throws IOException
        {
            real.write(memory.duplicate().clear().position((int)from).limit((int)to), from);
        }
    }

    /** A handle: positional I/O on the shared image; force writes the image through its real handle. */
    private static final class Handle implements FileHandle
    {
        private final Path path;
        private final Image image;
        private final FileHandle real;

        Handle(final Path path, final Image image, final FileHandle real)
        {
            this.path = path;
            this.image = image;
            this.real = real;
        }

        @Override
        public Path path()
        {
            return path;
        }

        @Override
        public long size()
        {
            return image.size();
        }

        @Override
        public int read(final ByteBuffer dst, final long position)
        {
            return image.read(dst, position);
        }

        @Override
        public void write(final ByteBuffer src, final long position) throws IOException
        {
            image.write(src, position);
        }

        @Override
        public void truncate(final long size)
        {
            image.truncate(size);
        }

        @Override
        public void allocate(final long size) throws IOException
        {
            image.allocate(size);
        }

        @Override
        public MappedRegion map(final long position, final int size) throws IOException
        {
            final AtomicBuffer buffer = image.map(position, size);
            return new MappedRegion()
            {
                private boolean closed;

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
                    image.flushRange(real, position + offset, position + offset + length);
                }

                @Override
                public void close()
                {
                    if (!closed)
                    {
                        closed = true;
                        image.unmapped();
                    }
                }
            };
        }

        @Override
        public void force() throws IOException
        {
            image.flush(real);
        }

        @Override
        public void close() throws IOException
        {
            real.close();
        }
    }
}
