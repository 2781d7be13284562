package dev.tidemark.wal;

import com.lmax.disruptor.EventHandler;
import dev.tidemark.Durability;
import dev.tidemark.FailStopException;
import dev.tidemark.StorageFullException;
import dev.tidemark.io.NoSpaceException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The single consumer of the log buffer ring: copies each record into the mapped segment, rolls segments, and
 * forces at the end of a batch when a SYNC record is in it, when a waiter asked, or when the oldest unforced
 * ASYNC record has aged half the configured interval (so a slow force batches everything queued behind it).
 *
 * <p>Threading: every method runs on the {@code tidemark-wal-journal} thread. It publishes progress through
 * {@link LogState}: written LSN after each record, durable LSN after each force. After a failed write or force it
 * latches the failure there (fail-stop) and skips the remaining events without writing them.
 */
final class Journal implements EventHandler<AppendEvent>
{
    private static final long STALL_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LogState state;
    private final SegmentAllocator allocator;
    private final FrameChecksum checksum = new FrameChecksum();
    private final long asyncForceAgeNanos;
    private final long firstLsn;
    private Segment current;
    private int writeOffset;
    private int forcedOffset;
    private long lastWrittenLsn;
    private boolean syncPending;
    private long oldestUnforcedAsync;

    Journal(final LogState state, final SegmentAllocator allocator, final Segment current, final long firstLsn,
        final long asyncIntervalNanos)
    {
        this.state = state;
        this.allocator = allocator;
        this.current = current;
        this.firstLsn = firstLsn;
        this.writeOffset = current.endOffset();
        this.forcedOffset = writeOffset;
        this.lastWrittenLsn = firstLsn - 1;
        this.asyncForceAgeNanos = asyncIntervalNanos / 2;
    }

    @Override
    public void onEvent(final AppendEvent event, final long sequence, final boolean endOfBatch)
    {
        if (state.failure() == null)
        {
            try
            {
                write(event, firstLsn + sequence);
            }
            catch (final IOException | RuntimeException ex)
            {
                state.fail(new FailStopException("WAL write of LSN " + (firstLsn + sequence) + " to "
                    + current.path() + " failed; the log accepts no more appends. Reopen to recover.", ex));
            }
        }
        event.shrinkIfLarge();
        if (endOfBatch)
        {
            maybeForce();
        }
    }

    @Override
    public void onTimeout(final long sequence)
    {
        maybeForce();
    }

    @Override
    public void onShutdown()
    {
        if (state.failure() == null && writeOffset > forcedOffset)
        {
            syncPending = true;
            maybeForce();
        }
        checksum.release();
    }

    private void write(final AppendEvent event, final long lsn) throws IOException
    {
        final int frameLength = FrameDescriptor.HEADER_LENGTH + event.length;
        final int aligned = FrameDescriptor.alignedLength(frameLength);
        if (writeOffset + aligned > current.capacity())
        {
            roll(lsn, aligned);
        }
        final AtomicBuffer buffer = current.buffer();
        final int at = writeOffset;
        buffer.putLong(at + FrameDescriptor.LSN_OFFSET, lsn);
        buffer.putLong(at + FrameDescriptor.DURABLE_HINT_OFFSET, state.durableLsn());
        buffer.putInt(at + FrameDescriptor.TYPE_OFFSET, event.type);
        buffer.putInt(at + FrameDescriptor.RESERVED_OFFSET, 0);
        if (event.length > 0)
        {
            buffer.putBytes(at + FrameDescriptor.HEADER_LENGTH, event.payload, 0, event.length);
        }
        buffer.putInt(at + FrameDescriptor.CRC_OFFSET, checksum.compute(buffer, at, frameLength));
        buffer.putIntOrdered(at + FrameDescriptor.LENGTH_OFFSET, frameLength);
        writeOffset = at + aligned;
        current.recordAppended(at, lsn, writeOffset);
        lastWrittenLsn = lsn;
        state.written(lsn);
        if (event.durability == Durability.SYNC)
        {
            syncPending = true;
        }
        else if (event.durability == Durability.ASYNC && oldestUnforcedAsync == 0)
        {
            oldestUnforcedAsync = System.nanoTime() | 1;
        }
    }

    private void roll(final long lsn, final int frameBytes) throws IOException
    {
        forceCurrent();
        final Segment completed = current;
        final Segment next = takeSegment(SegmentDescriptor.HEADER_LENGTH + frameBytes);
        SegmentDescriptor.write(next.buffer(), lsn, next.capacity(), next.segmentIndex());
        next.firstLsn(lsn);
        state.addSegment(next);
        current = next;
        writeOffset = SegmentDescriptor.HEADER_LENGTH;
        forcedOffset = 0;
        checksum.release();
        allocator.completed(completed);
    }

    /** Waits out a full disk: the records already in the ring were promised an LSN and must not be dropped. */
    private Segment takeSegment(final int minCapacity) throws IOException
    {
        while (true)
        {
            try
            {
                return allocator.take(minCapacity);
            }
            catch (final NoSpaceException ex)
            {
                allocator.markSpaceExhausted();
                if (state.isShuttingDown())
                {
                    throw new StorageFullException("The disk is full and the log was closed before space was"
                        + " freed; records not yet written are lost and were never reported durable", ex);
                }
                LockSupport.parkNanos(STALL_RETRY_NANOS);
            }
        }
    }

    private void maybeForce()
    {
        if (state.failure() != null)
        {
            return;
        }
        final boolean asyncDue = oldestUnforcedAsync != 0 && System.nanoTime() - oldestUnforcedAsync >= asyncForceAgeNanos;
        if (!(syncPending || asyncDue || state.forceRequested(lastWrittenLsn)))
        {
            return;
        }
        try
        {
            forceCurrent();
            syncPending = false;
            oldestUnforcedAsync = 0;
            state.durable(lastWrittenLsn);
        }
        catch (final IOException | RuntimeException ex)
        {
            state.fail(new FailStopException("WAL force of " + current.path() + " failed; nothing it covered is"
                + " reported durable and the log accepts no more appends. Reopen to recover.", ex));
        }
    }

    private void forceCurrent() throws IOException
    {
        if (writeOffset > forcedOffset)
        {
            current.region().force(forcedOffset, writeOffset - forcedOffset);
            forcedOffset = writeOffset;
        }
    }
}
