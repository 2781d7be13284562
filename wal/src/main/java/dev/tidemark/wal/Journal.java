package dev.tidemark.wal;

import com.lmax.disruptor.EventHandler;
import dev.tidemark.CrashPoint;
import dev.tidemark.CrashPoints;
import dev.tidemark.Durability;
import dev.tidemark.FailStopException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The single consumer of the log buffer ring. It encodes each record into a staging buffer, writes the staged
 * frames to the segment file with one positional write per batch, rolls segments, and forces at the end of a
 * batch when a SYNC record is in it, when a waiter asked, or when the oldest unforced ASYNC record has aged half
 * the configured interval, so that a slow force batches everything queued behind it.
 *
 * <p>Records reach the file through {@code write}, not through the mapping: on Linux file systems a store to a
 * mapped page that was just forced faults and is write-protected again by the next force, which measured about
 * 2.4 times slower per durable append than write + fdatasync. Readers still read every segment through its
 * mapping, which shares the page cache with the writes.
 *
 * <p>Threading: every method runs on the {@code tidemark-wal-journal} thread. Progress is published through
 * {@link LogState}: written LSN after each positional write, durable LSN after each force. After a failed write or
 * force it latches the failure there (fail-stop) and skips the remaining events without writing them.
 */
final class Journal implements EventHandler<AppendEvent>
{
    static final int STAGING_CAPACITY = 1 << 20;

    private final LogState state;
    private final SegmentAllocator allocator;
    private final FrameChecksum checksum = new FrameChecksum();
    private final ByteBuffer stagingBytes = ByteBuffer.allocateDirect(STAGING_CAPACITY);
    private final UnsafeBuffer staging = new UnsafeBuffer(stagingBytes);
    private final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(SegmentDescriptor.HEADER_LENGTH));
    private final long asyncForceAgeNanos;
    private final long firstLsn;
    private Segment current;
    private int writeOffset;
    private int staged;
    private long lastStagedLsn;
    private long lastWrittenLsn;
    private boolean dirty;
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
        this.lastStagedLsn = firstLsn - 1;
        this.lastWrittenLsn = firstLsn - 1;
        this.asyncForceAgeNanos = asyncIntervalNanos / 2;
    }

    @Override
    public void onEvent(final AppendEvent event, final long sequence, final boolean endOfBatch)
    {
        if (state.failure() == null)
        {
            final long lsn = firstLsn + sequence;
            try
            {
                append(event, lsn);
                if (endOfBatch)
                {
                    writeStaged();
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                state.fail(new FailStopException("WAL write of LSN " + lsn + " to " + current.path()
                    + " failed; the log accepts no more appends. Reopen to recover.", ex));
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
        if (state.failure() == null && (dirty || staged > 0))
        {
            syncPending = true;
            maybeForce();
        }
        checksum.release();
    }

    private void append(final AppendEvent event, final long lsn) throws IOException
    {
        final int frameLength = FrameDescriptor.HEADER_LENGTH + event.length;
        final int aligned = FrameDescriptor.alignedLength(frameLength);
        if (writeOffset + staged + aligned > current.capacity())
        {
            writeStaged();
            roll(lsn, aligned);
        }
        if (aligned > STAGING_CAPACITY - staged)
        {
            writeStaged();
        }
        if (aligned > STAGING_CAPACITY)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(aligned));
            encode(frame, 0, event, lsn, frameLength);
            current.file().write(frame.byteBuffer().clear(), writeOffset);
            lastStagedLsn = lsn;
            published(frame, 0, aligned, lsn);
        }
        else
        {
            encode(staging, staged, event, lsn, frameLength);
            staged += aligned;
            lastStagedLsn = lsn;
        }
        allocator.written(aligned);
        if (event.durability == Durability.SYNC)
        {
            syncPending = true;
        }
        else if (event.durability == Durability.ASYNC && oldestUnforcedAsync == 0)
        {
            oldestUnforcedAsync = System.nanoTime() | 1;
        }
    }

    private void encode(final UnsafeBuffer buffer, final int at, final AppendEvent event, final long lsn,
        final int frameLength)
    {
        buffer.putLong(at + FrameDescriptor.LSN_OFFSET, lsn);
        buffer.putLong(at + FrameDescriptor.DURABLE_HINT_OFFSET, state.durableLsn());
        buffer.putInt(at + FrameDescriptor.TYPE_OFFSET, event.type);
        buffer.putInt(at + FrameDescriptor.RESERVED_OFFSET, 0);
        if (event.length > 0)
        {
            buffer.putBytes(at + FrameDescriptor.HEADER_LENGTH, event.payload, 0, event.length);
        }
        final int aligned = FrameDescriptor.alignedLength(frameLength);
        if (aligned > frameLength)
        {
            buffer.setMemory(at + frameLength, aligned - frameLength, (byte)0);
        }
        buffer.putInt(at + FrameDescriptor.LENGTH_OFFSET, frameLength);
        buffer.putInt(at + FrameDescriptor.CRC_OFFSET, checksum.compute(buffer, at, frameLength));
    }

    /** Writes the staged frames with one positional write and publishes them to readers. */
    private void writeStaged() throws IOException
    {
        if (staged == 0)
        {
            return;
        }
        stagingBytes.limit(staged).position(0);
        current.file().write(stagingBytes, writeOffset);
        stagingBytes.clear();
        published(staging, 0, staged, lastStagedLsn);
        staged = 0;
    }

    private void published(final UnsafeBuffer frames, final int from, final int length, final long lastLsn)
    {
        int at = from;
        while (at < from + length)
        {
            final int frameLength = frames.getInt(at + FrameDescriptor.LENGTH_OFFSET);
            final int aligned = FrameDescriptor.alignedLength(frameLength);
            current.recordAppended(writeOffset, frames.getLong(at + FrameDescriptor.LSN_OFFSET), writeOffset + aligned);
            writeOffset += aligned;
            at += aligned;
        }
        dirty = true;
        lastWrittenLsn = lastLsn;
        state.written(lastLsn);
    }

    private void roll(final long lsn, final int frameBytes) throws IOException
    {
        forceCurrent();
        final Segment completed = current;
        final Segment next = allocator.take(SegmentDescriptor.HEADER_LENGTH + frameBytes);
        SegmentDescriptor.write(header, lsn, next.capacity(), next.segmentIndex());
        next.file().write(header.byteBuffer().clear(), 0);
        next.firstLsn(lsn);
        current = next;
        writeOffset = SegmentDescriptor.HEADER_LENGTH;
        dirty = true;
        state.addSegment(next);
        allocator.completed(completed);
    }

    private void maybeForce()
    {
        if (state.failure() != null)
        {
            return;
        }
        final boolean asyncDue = oldestUnforcedAsync != 0
            && System.nanoTime() - oldestUnforcedAsync >= asyncForceAgeNanos;
        if (!(syncPending || asyncDue || state.forceRequested(lastStagedLsn)))
        {
            return;
        }
        try
        {
            writeStaged();
            CrashPoints.reached(CrashPoint.WAL_WRITTEN_NOT_FORCED);
            forceCurrent();
            CrashPoints.reached(CrashPoint.WAL_FORCED_NOT_ACKNOWLEDGED);
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
        if (dirty)
        {
            current.file().force();
            dirty = false;
        }
    }
}
