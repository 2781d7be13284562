package dev.tidemark.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** {@link FileIo} on the real file system through NIO. Stateless; one instance may serve a whole process. */
public final class NioFileIo implements FileIo
{
    private static final int ZERO_CHUNK = 1 << 20;

    @Override
    public FileHandle open(final Path file, final OpenMode mode) throws IOException
    {
        final OpenOption[] options;
        switch (mode)
        {
            case READ:
                options = new OpenOption[] {StandardOpenOption.READ};
                break;
            case READ_WRITE:
                options = new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
                break;
            case CREATE:
                options = new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE};
                break;
            default:
                options = new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW};
                break;
        }
        try
        {
            return new NioFileHandle(file, FileChannel.open(file, options));
        }
        catch (final IOException ex)
        {
            throw translate(ex);
        }
    }

    @Override
    public boolean exists(final Path path)
    {
        return Files.exists(path);
    }

    @Override
    public List<Path> list(final Path directory) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            final List<Path> result = new ArrayList<>();
            entries.sorted().forEach(result::add);
            return result;
        }
    }

    @Override
    public void createDirectories(final Path directory) throws IOException
    {
        final Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute))
        {
            return;
        }
        final Path parent = absolute.getParent();
        if (parent != null)
        {
            createDirectories(parent);
        }
        try
        {
            Files.createDirectory(absolute);
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (!Files.isDirectory(absolute))
            {
                throw ex; // a file, not a directory, has that name
            }
            // otherwise created concurrently: it exists now, as asked
        }
        catch (final IOException ex)
        {
            throw translate(ex);
        }
        if (parent != null)
        {
            forceDirectory(parent);
        }
    }

    @Override
    public void rename(final Path source, final Path target) throws IOException
    {
        try
        {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw translate(ex);
        }
    }

    @Override
    public void delete(final Path file) throws IOException
    {
        Files.deleteIfExists(file);
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException
    {
        // Opening a directory for reading and forcing it is how the JDK exposes fsync(dirfd) on Linux and macOS.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final NoSuchFileException ex)
        {
            throw ex;
        }
        catch (final IOException ex)
        {
            if (System.getProperty("os.name", "").startsWith("Windows"))
            {
                return; // Windows cannot open a directory as a channel; NTFS journals metadata itself
            }
            throw translate(ex);
        }
    }

    static IOException translate(final IOException ex)
    {
        final String message = ex.getMessage();
        if (message != null && (message.contains("No space left on device") || message.contains("Disk quota")))
        {
            return new NoSpaceException(message, ex);
        }
        return ex;
    }

    private static final class NioFileHandle implements FileHandle
    {
        private final Path path;
        private final FileChannel channel;

        NioFileHandle(final Path path, final FileChannel channel)
        {
            this.path = path;
            this.channel = channel;
        }

        @Override
        public Path path()
        {
            return path;
        }

        @Override
        public long size() throws IOException
        {
            return channel.size();
        }

        @Override
        public int read(final ByteBuffer dst, final long position) throws IOException
        {
            return channel.read(dst, position);
        }

        @Override
        public void write(final ByteBuffer src, final long position) throws IOException
        {
            long at = position;
            try
            {
                while (src.hasRemaining())
                {
                    at += channel.write(src, at);
                }
            }
            catch (final IOException ex)
            {
                throw translate(ex);
            }
        }

        @Override
        public void truncate(final long size) throws IOException
        {
            channel.truncate(size);
        }

        @Override
        public void allocate(final long size) throws IOException
        {
            long at = channel.size();
            if (at >= size)
            {
                return;
            }
            final ByteBuffer zeros = ByteBuffer.allocateDirect((int)Math.min(ZERO_CHUNK, size - at));
            try
            {
                while (at < size)
                {
                    zeros.clear().limit((int)Math.min(zeros.capacity(), size - at));
                    write(zeros, at);
                    at += zeros.limit();
                }
            }
            finally
            {
                IoUtil.unmap(zeros);
            }
        }

        @Override
        public MappedRegion map(final long position, final int size) throws IOException
        {
            if (position + size > channel.size())
            {
                throw new IOException(path + ": cannot map [" + position + ", " + (position + size)
                    + ") beyond the end of the file (" + channel.size() + " bytes); allocate the range first");
            }
            return new NioMappedRegion(channel.map(FileChannel.MapMode.READ_WRITE, position, size), position);
        }

        @Override
        public void force() throws IOException
        {
            channel.force(true);
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }

    private static final class NioMappedRegion implements MappedRegion
    {
        private final MappedByteBuffer mapped;
        private final UnsafeBuffer buffer;
        private final long position;

        NioMappedRegion(final MappedByteBuffer mapped, final long position)
        {
            this.mapped = mapped;
            this.buffer = new UnsafeBuffer(mapped);
            this.position = position;
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
            return mapped.capacity();
        }

        @Override
        public void force(final int offset, final int length) throws IOException
        {
            try
            {
                mapped.force(offset, length);
            }
            catch (final java.io.UncheckedIOException ex)
            {
                throw ex.getCause();
            }
        }

        @Override
        public void close()
        {
            IoUtil.unmap(mapped);
        }
    }

    @Override
    public Closeable tryLock(final Path file) throws IOException
    {
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        final FileLock lock;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            channel.close();
            return null;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
        if (lock == null)
        {
            channel.close();
            return null;
        }
        return () ->
        {
            try
            {
                lock.release();
            }
            finally
            {
                channel.close();
            }
        };
    }
}
