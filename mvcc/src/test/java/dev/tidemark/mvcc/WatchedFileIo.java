package dev.tidemark.mvcc;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.ForwardingFileIo;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FileIo} that passes everything to another one, counts page reads and checks the WAL rule on every
 * write: each page-aligned, page-sized piece of a write must carry a page LSN at or below the log's durable LSN.
 */
final class WatchedFileIo extends ForwardingFileIo
{
    private final LogForce log;
    private final int pageSize;
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong pagesWritten = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();

    WatchedFileIo(final FileIo delegate, final LogForce log, final int pageSize)
    {
        super(delegate);
        this.log = log;
        this.pageSize = pageSize;
    }

    long reads()
    {
        return reads.get();
    }

    long pagesWritten()
    {
        return pagesWritten.get();
    }

    long walRuleViolations()
    {
        return violations.get();
    }

    @Override
    public FileHandle open(final Path file, final OpenMode mode) throws IOException
    {
        final FileHandle handle = delegate().open(file, mode);
        return new FileHandle()
        {
            @Override
            public Path path()
            {
                return handle.path();
            }

            @Override
            public long size() throws IOException
            {
                return handle.size();
            }

            @Override
            public int read(final ByteBuffer dst, final long position) throws IOException
            {
                reads.incrementAndGet();
                return handle.read(dst, position);
            }

            @Override
            public void write(final ByteBuffer src, final long position) throws IOException
            {
                if (position % pageSize == 0 && src.remaining() % pageSize == 0)
                {
                    final ByteBuffer view = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    for (int at = view.position(); at < view.limit(); at += pageSize)
                    {
                        pagesWritten.incrementAndGet();
                        if (view.getLong(at + PageLayout.LSN_OFFSET) > log.durableLsn())
                        {
                            violations.incrementAndGet();
                        }
                    }
                }
                handle.write(src, position);
            }

            @Override
            public void truncate(final long size) throws IOException
            {
                handle.truncate(size);
            }

            @Override
            public void allocate(final long size) throws IOException
            {
                handle.allocate(size);
            }

            @Override
            public MappedRegion map(final long position, final int size) throws IOException
            {
                return handle.map(position, size);
            }

            @Override
            public void force() throws IOException
            {
                handle.force();
            }

            @Override
            public void close() throws IOException
            {
                handle.close();
            }
        };
    }
}
