package dev.tidemark.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@link FileIo} that passes every call to another one: the base of decorators that change a few calls (fault
 * injection, buffering, checks) and leave the rest alone.
 */
public abstract class ForwardingFileIo implements FileIo
{
    private final FileIo delegate;

    protected ForwardingFileIo(final FileIo delegate)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the file system calls are passed to */
    protected final FileIo delegate()
    {
        return delegate;
    }

    @Override
    public FileHandle open(final Path file, final OpenMode mode) throws IOException
    {
        return delegate.open(file, mode);
    }

    @Override
    public boolean exists(final Path path)
    {
        return delegate.exists(path);
    }

    @Override
    public List<Path> list(final Path directory) throws IOException
    {
        return delegate.list(directory);
    }

    @Override
    public void createDirectories(final Path directory) throws IOException
    {
        delegate.createDirectories(directory);
    }

    @Override
    public void rename(final Path source, final Path target) throws IOException
    {
        delegate.rename(source, target);
    }

    @Override
    public void delete(final Path file) throws IOException
    {
        delegate.delete(file);
    }

    @Override
    public void forceDirectory(final Path directory) throws IOException
    {
        delegate.forceDirectory(directory);
    }

    @Override
    public Closeable tryLock(final Path file) throws IOException
    {
        return delegate.tryLock(file);
    }
}
