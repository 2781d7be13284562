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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates segment files ahead of need, admits appends against the room they have, and hands completed segments
 * to the archive hook.
 *
 * <p>Every new segment is created under its final name, fully allocated with zeros (never sparse, so a full
 * disk cannot turn a mapped write into a SIGBUS), forced, and its directory forced, before it is mapped.
 *
 * <p>Admission: an append is admitted ({@link #admit}) only when the spare segment has room for it together with
 * every admitted record not yet written. Records admitted before a roll all fit in the spare that roll takes, and
 * records admitted after it are checked against the next spare, so the journal always finds the room it was
 * promised and a full disk is reported to the appender before it is given an LSN. A spare is prepared in the
 * background after each roll; an appender that finds none creates it.
 *
 * <p>Threading: {@link #admit} is lock-free while the spare has room; otherwise it, {@link #take},
 * {@link #create} and the bookkeeping of the background spare task serialise on this object. The background task
 * creates files outside the lock (appends go on meanwhile; one that needs the spare waits for it), on one
 * daemon thread, {@code tidemark-wal-allocator}. It keeps a reserve segment ready behind the spare, so that a roll
 * finds the next spare in place instead of stalling appends while a segment file is created. {@link #written} is
 * lock-free.
 */
final class SegmentAllocator implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SegmentAllocator.class);

    private final FileIo fileIo;
    private final Path directory;
    private final int segmentSize;
    private final SegmentArchiver archiver;
    private final ExecutorService worker;
    private final AtomicLong promised = new AtomicLong();
    private long nextSegmentIndex;
    /** Written under this object's lock, read by the lock-free admission. */
    private volatile Segment spare;
    /** The segment after the spare, prepared ahead so that a roll finds the next spare ready; under the lock. */
    private Segment reserve;
    /** The background task is creating a segment (outside the lock); guarded by this object's lock. */
    private boolean preparing;
    private volatile Throwable archiveFailure;

    /** The executor's thread once it started (the executor makes at most one). */
    private volatile Thread workerThread;

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
            workerThread = thread;
            return thread;
        });
    }

    /** Starts preparing the first spare in the background. */
    void start()
    {
        worker.execute(this::prepareSpare);
    }

    /** Creates a segment synchronously with the next index, at least the configured segment size. */
    synchronized Segment create(final int capacity) throws IOException
    {
        final Segment segment = createFile(nextSegmentIndex, Math.max(capacity, segmentSize));
        nextSegmentIndex++;
        return segment;
    }

    /**
     * Reserves room for a frame of {@code frameBytes}, creating or growing the spare segment when it lacks it.
     *
     * @throws NoSpaceException the disk has no room for the spare; nothing was reserved
     */
    void admit(final int frameBytes) throws IOException
    {
        // lock-free when the spare has room: promise the frame against it, then check that it is still the spare
        // (a roll that took it counted the promise; one that took it before the promise did not: undo, go slow)
        while (true)
        {
            final Segment current = spare;
            final long promisedNow = promised.get();
            if (current == null
                || current.capacity() < promisedNow + frameBytes + SegmentDescriptor.HEADER_LENGTH)
            {
                admitSlowly(frameBytes);
                return;
            }
            if (promised.compareAndSet(promisedNow, promisedNow + frameBytes))
            {
                if (spare == current)
                {
                    return;
                }
                promised.addAndGet(-frameBytes);
            }
        }
    }

    private synchronized void admitSlowly(final int frameBytes) throws IOException
    {
        while (true)
        {
            final long promisedNow = promised.get();
            final long needed = promisedNow + frameBytes + SegmentDescriptor.HEADER_LENGTH;
            if (spare != null && spare.capacity() >= needed)
            {
                // a CAS, as the lock-free path may promise against the same spare at the same time
                if (promised.compareAndSet(promisedNow, promisedNow + frameBytes))
                {
                    return;
                }
                continue;
            }
            if (preparing)
            {
                awaitPrepared();
                continue;
            }
            final int capacity = (int)Math.min(Integer.MAX_VALUE, Math.max(needed, segmentSize));
            // on a full disk every admission tries again (and fails fast): space freed is used at once
            spare = spare == null ? create(capacity) : grow(spare, capacity);
        }
    }

    /** Under the lock: waits for the background task to finish the spare it is creating. */
    private void awaitPrepared() throws IOException
    {
        try
        {
            wait(100);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the next WAL segment");
        }
    }

    /** Journal: an admitted frame of {@code frameBytes} was written. */
    void written(final int frameBytes)
    {
        promised.addAndGet(-frameBytes);
    }

    /**
     * Journal: hands out the spare for a roll and starts preparing the next one. Admission guarantees a spare
     * with room for every record admitted so far.
     */
    synchronized Segment take(final int minCapacity) throws IOException
    {
        while (spare == null && preparing)
        {
            awaitPrepared();
        }
        Segment segment = spare;
        if (segment == null)
        {
            throw new IllegalStateException("WAL roll found no spare segment although its record was admitted");
        }
        if (segment.capacity() < minCapacity)
        {
            segment = grow(segment, minCapacity);
        }
        spare = reserve;
        reserve = null;
        worker.execute(this::prepareSpare);
        return segment;
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

    /** Background: prepares the next spare so that appenders rarely pay for allocation. */
    private void prepareSpare()
    {
        final long index;
        final boolean forSpare;
        synchronized (this)
        {
            if (spare != null && reserve != null || preparing)
            {
                return;
            }
            preparing = true;
            forSpare = spare == null;
            index = nextSegmentIndex++;
        }
        // created, forced and mapped outside the lock: appends admitted against the current spare go on
        Segment created = null;
        try
        {
            created = createFile(index, segmentSize);
        }
        catch (final NoSpaceException ex)
        {
            LOG.warn(forSpare ? "No room for the next WAL segment in {}: appends are refused until space is freed"
                : "No room to prepare a WAL segment ahead in {}; it is tried again at the next roll", directory);
        }
        catch (final IOException | RuntimeException ex)
        {
            LOG.error("Could not prepare a WAL segment in {}; it is tried again", directory, ex);
        }
        synchronized (this)
        {
            preparing = false;
            notifyAll();
            if (created == null)
            {
                // nobody took an index meanwhile (creators wait while preparing): reuse it
                nextSegmentIndex = index;
                return;
            }
            if (spare == null)
            {
                spare = created;
            }
            else
            {
                reserve = created;
            }
            if (reserve == null)
            {
                // the reserve next, as a task of its own: archive work queued meanwhile runs first
                try
                {
                    worker.execute(this::prepareSpare);
                }
                catch (final java.util.concurrent.RejectedExecutionException closing)
                {
                    // the allocator is closing: no reserve is needed any more
                }
            }
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

    /** Grows a spare that is not yet in use; on failure the spare is deleted and its index reused. */
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
            if (spare == segment)
            {
                spare = null;
            }
            if (reserve != null)
            {
                // it holds the next index: drop it too, so that indexes stay without gaps
                reserve.region().close();
                discard(reserve.file(), reserve.path(), ex);
                reserve = null;
            }
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
            // the executor reports termination while its thread is still on its way out: wait for the thread too,
            // so that a closed log has no thread left
            final Thread thread = workerThread;
            if (thread != null)
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
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
            if (reserve != null)
            {
                reserve.retire();
                reserve = null;
            }
        }
    }
}
