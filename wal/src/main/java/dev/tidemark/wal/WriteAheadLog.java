package dev.tidemark.wal;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.LiteTimeoutBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.tidemark.Durability;
import dev.tidemark.FailStopException;
import dev.tidemark.StorageFullException;
import dev.tidemark.StorageIOException;
import dev.tidemark.TidemarkException;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.NoSpaceException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Tidemark's write-ahead log: a segmented, memory-mapped, checksummed log with dense 64-bit LSNs and group
 * commit.
 *
 * <p>Appenders on any thread claim a slot in an LMAX Disruptor ring (the log buffer) and copy their record in;
 * the slot's sequence fixes the record's LSN. One journal thread ({@code tidemark-wal-journal}) copies records
 * into the mapped segment in LSN order and forces at the end of each batch that needs it, so one force covers
 * everything queued behind a slow one. Segments are preallocated by {@code tidemark-wal-allocator}.
 *
 * <p>Failure is fail-stop: after a failed write or force every append fails with {@link FailStopException}
 * carrying the original cause, and {@link #durableLsn()} never moves past what was forced before the failure.
 * When the disk is full, appends fail with {@link StorageFullException} until space is freed. See
 * {@code docs/format/wal.md} for the byte layout.
 */
public final class WriteAheadLog implements AutoCloseable
{
    private static final long NO_TIMEOUT = Long.MAX_VALUE;

    private final WalOptions options;
    private final LogState state;
    private final SegmentAllocator allocator;
    private final Disruptor<AppendEvent> disruptor;
    private final RingBuffer<AppendEvent> ring;
    private final long firstNewLsn;
    private final WalOpenReport openReport;
    private final LongSupplier durable;
    private final BooleanSupplier stopWaiting;
    /** Open {@link #hold}s; {@link #retireBelow} reads them under {@code retireLock}. */
    private final java.util.Set<Hold> holds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Object retireLock = new Object();
    private volatile boolean closed;

    private WriteAheadLog(final WalOptions options, final LogScanner scanner, final Segment last)
    {
        this.options = options;
        final List<Segment> segments = scanner.segments();
        final long lastLsn = last.lastLsn();
        this.firstNewLsn = lastLsn + 1;
        this.openReport = scanner.report();
        this.state = new LogState(segments.toArray(new Segment[0]), lastLsn);
        this.durable = state::durableLsn;
        this.stopWaiting = () -> state.failure() != null || state.isClosing();
        for (int i = 0; i < segments.size() - 1; i++)
        {
            segments.get(i).markArchived(); // completed in an earlier life; archiving is the embedder's concern
        }
        this.allocator = new SegmentAllocator(options.fileIo(), options.directory(), options.segmentSize(),
            Math.max(scanner.highestSegmentIndex(), last.segmentIndex()) + 1, options.archiver());
        this.disruptor = new Disruptor<>(AppendEvent::new, options.ringSize(), runnable ->
        {
            final Thread thread = new Thread(runnable, "tidemark-wal-journal");
            thread.setDaemon(true);
            return thread;
        }, ProducerType.MULTI, new LiteTimeoutBlockingWaitStrategy(
            Math.max(1, options.asyncIntervalNanos() / 2), TimeUnit.NANOSECONDS));
        disruptor.handleEventsWith(new Journal(state, allocator, last, firstNewLsn, options.asyncIntervalNanos()));
        disruptor.setDefaultExceptionHandler(new FailStopHandler(state));
        this.ring = disruptor.start();
        allocator.start();
    }

    /**
     * Opens the log in {@code options.directory()}, creating it when absent. Scans to the end of valid data,
     * trims (and forces the trim of) a torn tail, and fails with {@link dev.tidemark.CorruptionException} on
     * damage before it unless a tolerant {@link RecoveryMode} was chosen.
     */
    public static WriteAheadLog open(final WalOptions options)
    {
        Objects.requireNonNull(options, "options");
        final FileIo fileIo = options.fileIo();
        final LogScanner scanner = new LogScanner(fileIo, options.directory(), options.recoveryMode());
        try
        {
            fileIo.createDirectories(options.directory());
            scanner.scan();
            Segment last;
            if (scanner.segments().isEmpty())
            {
                final SegmentAllocator first = new SegmentAllocator(fileIo, options.directory(),
                    options.segmentSize(), scanner.highestSegmentIndex() + 1, null);
                try
                {
                    last = first.create(options.segmentSize());
                }
                finally
                {
                    first.close();
                }
                SegmentDescriptor.write(last.buffer(), 1, last.capacity(), last.segmentIndex());
                last.firstLsn(1);
                last.region().force(0, SegmentDescriptor.HEADER_LENGTH);
                scanner.segments().add(last);
            }
            else
            {
                last = scanner.segments().get(scanner.segments().size() - 1);
            }
            return new WriteAheadLog(options, scanner, last);
        }
        catch (final IOException ex)
        {
            for (final Segment segment : scanner.segments())
            {
                segment.retire();
            }
            throw new StorageIOException("Could not open the WAL in " + options.directory() + ": " + ex.getMessage()
                + ". Check that the directory is readable and writable.", ex);
        }
    }

    /** @return what opening found: records, trimmed bytes, anything a tolerant mode discarded. */
    public WalOpenReport openReport()
    {
        return openReport;
    }

    /**
     * Appends one record.
     *
     * @param type       the record type, free for the caller (the log only stores it)
     * @param payload    bytes to copy; not retained
     * @param durability {@link Durability#SYNC} returns after the record is durable; {@link Durability#ASYNC}
     *                   at once, durable within the configured interval; {@link Durability#NONE} at once, durable
     *                   only when a later force covers it
     * @return the record's LSN
     * @throws StorageFullException the disk has no room for the log's next segment; nothing was appended
     * @throws FailStopException    the log stopped after an I/O failure; nothing was appended
     */
    public long append(final int type, final DirectBuffer payload, final int offset, final int length,
        final Durability durability)
    {
        checkAppend(length, durability);
        final long sequence = ring.next();
        try
        {
            ring.get(sequence).set(type, payload, offset, length, durability);
        }
        finally
        {
            ring.publish(sequence);
        }
        final long lsn = firstNewLsn + sequence;
        if (durability == Durability.SYNC)
        {
            awaitDurable(lsn);
        }
        return lsn;
    }

    /** Appends a whole byte array; see {@link #append(int, DirectBuffer, int, int, Durability)}. */
    public long append(final int type, final byte[] payload, final Durability durability)
    {
        return append(type, new UnsafeBuffer(payload), 0, payload.length, durability);
    }

    private void checkAppend(final int length, final Durability durability)
    {
        Objects.requireNonNull(durability, "durability");
        if (closed)
        {
            throw new IllegalStateException("The WAL in " + options.directory() + " is closed");
        }
        final RuntimeException failure = state.failure();
        if (failure != null)
        {
            throw new FailStopException("The WAL in " + options.directory() + " stopped after an I/O failure and"
                + " accepts no appends; reopen it to recover", failure);
        }
        if (length < 0 || length > options.maxRecordSize())
        {
            throw new IllegalArgumentException("WAL record of " + length + " bytes exceeds the limit of "
                + options.maxRecordSize() + " bytes (WalOptions.maxRecordSize)");
        }
        try
        {
            allocator.admit(FrameDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + length));
        }
        catch (final NoSpaceException ex)
        {
            throw new StorageFullException("The disk holding " + options.directory() + " is full: there is no room"
                + " for the next WAL segment (" + options.segmentSize() + " bytes). Nothing was appended; free"
                + " space and retry.", ex);
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("Could not prepare the next WAL segment in " + options.directory()
                + ": " + ex.getMessage() + ". Nothing was appended.", ex);
        }
    }

    /** @return the highest LSN known durable; it only moves forward. */
    public long durableLsn()
    {
        return state.durableLsn();
    }

    /** @return the highest LSN written to the mapped log (readable by cursors), durable or not. */
    public long writtenLsn()
    {
        return state.writtenLsn();
    }

    /** @return the highest LSN handed out by {@link #append} so far (0 when none). */
    public long lastAppendedLsn()
    {
        return firstNewLsn + ring.getCursor();
    }

    /** Waits until {@code lsn} is durable, forcing the log if no other request will. */
    public void awaitDurable(final long lsn)
    {
        if (!awaitDurable(lsn, NO_TIMEOUT, TimeUnit.NANOSECONDS))
        {
            throw new IllegalStateException("unreachable: an unbounded wait returned early");
        }
    }

    /**
     * Waits until {@code lsn} is durable or the timeout passes.
     *
     * @return whether it is durable
     * @throws FailStopException when the log failed before {@code lsn} became durable
     */
    public boolean awaitDurable(final long lsn, final long timeout, final TimeUnit unit)
    {
        if (state.durableLsn() >= lsn)
        {
            return true;
        }
        state.requestForce(lsn);
        boolean reached;
        try
        {
            reached = state.durableWaiters().await(durable, lsn, stopWaiting, unit.toNanos(timeout));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new TidemarkException("Interrupted while waiting for WAL LSN " + lsn + " to become durable;"
                + " its durability is unknown to this caller", ex);
        }
        if (!reached)
        {
            final RuntimeException failure = state.failure();
            if (failure != null)
            {
                throw new FailStopException("WAL LSN " + lsn + " did not become durable: the log stopped after an"
                    + " I/O failure", failure);
            }
            if (state.isClosing() && state.durableLsn() < lsn)
            {
                throw new TidemarkException("The WAL in " + options.directory() + " was closed before LSN " + lsn
                    + " became durable");
            }
        }
        return reached;
    }

    /** Forces everything appended so far and waits for it. */
    public void flush()
    {
        awaitDurable(lastAppendedLsn());
    }

    /** @return a cursor over every written record (durable or not) from {@code fromLsn}. */
    public WalCursor cursor(final long fromLsn)
    {
        return new WalCursor(state, false, fromLsn);
    }

    /** @return a live tail from {@code fromLsn}: sees records once durable; {@link WalCursor#awaitNext} waits. */
    public WalCursor tail(final long fromLsn)
    {
        return new WalCursor(state, true, fromLsn);
    }

    /** @return the LSN of the oldest retained record position (the first LSN of the oldest segment). */
    public long firstLsn()
    {
        return state.segments()[0].firstLsn();
    }

    /**
     * @return a byte position that grows as the log is written: the newest segment's index times the segment size,
     * plus the bytes written into it. The difference of two positions measures the log written between them (to
     * within the unused tail of a segment), e.g. to checkpoint after so many bytes.
     */
    public long writtenPosition()
    {
        final Segment[] segments = state.segments();
        final Segment newest = segments[segments.length - 1];
        return newest.segmentIndex() * newest.capacity() + newest.endOffset();
    }

    /** @return the paths of the segments in use, oldest first. */
    public List<java.nio.file.Path> segmentPaths()
    {
        final Segment[] snapshot = state.segments();
        final java.nio.file.Path[] paths = new java.nio.file.Path[snapshot.length];
        for (int i = 0; i < snapshot.length; i++)
        {
            paths[i] = snapshot[i].path();
        }
        return List.of(paths);
    }

    /**
     * Retires (deletes) whole segments whose every record is below {@code retentionLsn} and below every open
     * {@link #hold}: never the segment being written, never one the archive hook has not taken. Cursors reading a
     * retired segment keep it mapped until they move on.
     *
     * @return how many segments were retired
     */
    public int retireBelow(final long retentionLsn)
    {
        synchronized (retireLock)
        {
            long keepFrom = retentionLsn;
            for (final Hold hold : holds)
            {
                keepFrom = Math.min(keepFrom, hold.fromLsn);
            }
            final Segment[] snapshot = state.segments();
            int count = 0;
            while (count < snapshot.length - 1
                && snapshot[count + 1].firstLsn() <= keepFrom
                && snapshot[count].isArchived())
            {
                count++;
            }
            if (count == 0)
            {
                return 0;
            }
            state.removeSegments(count);
            try
            {
                for (int i = 0; i < count; i++)
                {
                    snapshot[i].retire();
                    options.fileIo().delete(snapshot[i].path());
                }
                options.fileIo().forceDirectory(options.directory());
            }
            catch (final IOException ex)
            {
                throw new StorageIOException("Could not delete retired WAL segments in " + options.directory()
                    + "; they are no longer used and may be deleted by hand", ex);
            }
            return count;
        }
    }

    /**
     * Holds the log from {@code fromLsn} on: no record at or above it is retired until the hold is closed.
     *
     * @throws IllegalArgumentException when {@code fromLsn} is below the first record the log still has
     */
    public LogHold hold(final long fromLsn)
    {
        synchronized (retireLock)
        {
            if (fromLsn < firstLsn())
            {
                throw new IllegalArgumentException("cannot hold the log from LSN " + fromLsn + ": it starts at LSN "
                    + firstLsn() + " (records below were retired)");
            }
            final Hold hold = new Hold(fromLsn);
            holds.add(hold);
            return hold;
        }
    }

    private final class Hold implements LogHold
    {
        private final long fromLsn;

        Hold(final long fromLsn)
        {
            this.fromLsn = fromLsn;
        }

        @Override
        public long fromLsn()
        {
            return fromLsn;
        }

        @Override
        public void close()
        {
            holds.remove(this);
        }
    }

    /** @return the failure of the archive hook, or null; while set, no further segment is archived or retired. */
    public Throwable archiveFailure()
    {
        return allocator.archiveFailure();
    }

    /** @return the fail-stop cause, or null while the log is healthy. */
    public RuntimeException failure()
    {
        return state.failure();
    }

    /**
     * Writes and forces every record appended before the call, stops the journal and allocator threads and
     * unmaps the segments. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        state.requestForce(Long.MAX_VALUE);
        disruptor.shutdown(); // returns once the journal drained the ring; onShutdown forces what it wrote
        state.closing();
        allocator.close();
        for (final Segment segment : state.segments())
        {
            segment.retire();
        }
    }

    private static final class FailStopHandler implements ExceptionHandler<AppendEvent>
    {
        private final LogState state;

        FailStopHandler(final LogState state)
        {
            this.state = state;
        }

        @Override
        public void handleEventException(final Throwable ex, final long sequence, final AppendEvent event)
        {
            state.fail(new FailStopException("WAL journal failed at sequence " + sequence, ex));
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            state.fail(new FailStopException("WAL journal failed to start", ex));
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            state.fail(new FailStopException("WAL journal failed while stopping", ex));
        }
    }
}
