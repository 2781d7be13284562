package dev.tidemark.wal;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.MappedRegion;
import dev.tidemark.io.NoSpaceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates segment files ahead of need and hands completed segments to the archive hook.
 *
 * <p>Every new segment is created under its final name, fully allocated with zeros (never sparse, so a full
 * disk cannot turn a mapped write into a SIGBUS), forced, and its directory forced, before it is mapped. One
 * spare is kept ready so a roll does not wait for allocation. When the disk is full the allocator says so
 * through {@link #isSpaceExhausted()}, and appends are refused until a retry succeeds.
 *
 * <p>Threading: {@link #take}, {@link #retry} and the background spare task serialise on this object; the
 * background work runs on one daemon thread, {@code tidemark-wal-allocator}.
 */
final class SegmentAllocator implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SegmentAllocator.class);

    private final FileIo fileIo;
    private final Path directory;
    private final int segmentSize;
    private final SegmentArchiver archiver;
    private final ExecutorService worker;
    private long nextSegmentIndex;
    private Segment spare;
    private volatile boolean spaceExhausted;
    private volatile Throwable archiveFailure;

    SegmentAllocator(
        final FileIo fileIo, final Path directory, final int segmentSize, final long nextSegmentIndex,
        final SegmentArchiver archiver)
    {
        this.fileIo = fileIo;
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.nextSegmentIndex = nextSegmentIndex;
        this.archiver = archiver;
        this.worker = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "tidemark-wal-allocator");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Creates a segment synchronously with the next index (used for the first segment of a new log). */
    synchronized Segment create(final int capacity) throws IOException
    {
        final Segment segment = createFile(nextSegmentIndex, Math.max(capacity, segmentSize));
        nextSegmentIndex++;
        return segment;
    }

    /**
     * Hands out the next segment, at least {@code minCapacity} bytes, and starts preparing another spare.
     *
     * @throws NoSpaceException when no spare was ready and the disk has no room for one
     */
    synchronized Segment take(final int minCapacity) throws IOException
    {
        Segment segment = spare;
        spare = null;
        if (segment == null)
        {
            segment = create(minCapacity);
        }
        else if (segment.capacity() < minCapacity)
        {
            segment = grow(segment, minCapacity);
        }
        worker.execute(this::prepareSpare);
        return segment;
    }

    boolean isSpaceExhausted()
    {
        return spaceExhausted;
    }

    /** Tries again to reserve the next segment after the disk was full; true when there is room now. */
    synchronized boolean retry()
    {
        if (spare != null)
        {
            spaceExhausted = false;
            return true;
        }
        prepareSpareLocked();
        return !spaceExhausted;
    }

    void markSpaceExhausted()
    {
        spaceExhausted = true;
    }

    /** Queues a forced, completed segment for the archive hook. */
    void completed(final Segment segment)
    {
        if (archiver == null)
        {
            segment.markArchived();
            return;
        }
        if (!segment.retain())
        {
            return;
        }
        worker.execute(() ->
        {
            try
            {
                if (archiveFailure == null)
                {
                    archiver.segmentCompleted(segment.path(), segment.firstLsn(), segment.lastLsn());
                    segment.markArchived();
                }
            }
            catch (final Exception ex)
            {
                LOG.error("WAL archive hook failed for {}; it and later segments are kept", segment.path(), ex);
                archiveFailure = ex;
            }
            finally
            {
                segment.release();
            }
        });
    }

    Throwable archiveFailure()
    {
        return archiveFailure;
    }

    private synchronized void prepareSpare()
    {
        prepareSpareLocked();
    }

    private void prepareSpareLocked()
    {
        if (spare != null)
        {
            return;
        }
        try
        {
            spare = create(segmentSize);
            spaceExhausted = false;
        }
        catch (final NoSpaceException ex)
        {
            LOG.warn("No room for the next WAL segment in {}: appends are refused until space is freed", directory);
            spaceExhausted = true;
        }
        catch (final IOException ex)
        {
            LOG.error("Could not prepare the next WAL segment in {}", directory, ex);
        }
    }

    private Segment createFile(final long index, final int capacity) throws IOException
    {
        final Path path = directory.resolve(SegmentDescriptor.fileName(index));
        final FileHandle file = fileIo.open(path, FileIo.OpenMode.CREATE_NEW);
        try
        {
            file.allocate(capacity);
            file.force();
            fileIo.forceDirectory(directory);
            final MappedRegion region = file.map(0, capacity);
            return new Segment(index, path, file, region);
        }
        catch (final IOException | RuntimeException ex)
        {
            discard(file, path, ex);
            throw ex;
        }
    }

    private Segment grow(final Segment segment, final int capacity) throws IOException
    {
        final FileHandle file = segment.file();
        segment.region().close();
        try
        {
            file.allocate(capacity);
            file.force();
            return new Segment(segment.segmentIndex(), segment.path(), file, file.map(0, capacity));
        }
        catch (final IOException | RuntimeException ex)
        {
            discard(file, segment.path(), ex);
            nextSegmentIndex = segment.segmentIndex();
            throw ex;
        }
    }

    private void discard(final FileHandle file, final Path path, final Exception failure)
    {
        try
        {
            file.close();
            fileIo.delete(path);
            fileIo.forceDirectory(directory);
        }
        catch (final IOException cleanup)
        {
            failure.addSuppressed(cleanup);
        }
    }

    @Override
    public void close()
    {
        worker.shutdown();
        try
        {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS))
            {
                LOG.warn("WAL allocator did not finish within 30 s; abandoning its queued work");
                worker.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (this)
        {
            if (spare != null)
            {
                // an unused spare stays on disk as a blank segment; the next open removes it
                spare.retire();
                spare = null;
            }
        }
    }
}
