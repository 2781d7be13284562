package dev.tidemark.wal;

import dev.tidemark.CorruptionException;
import dev.tidemark.TidemarkException;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads records in LSN order, checking each frame's CRC32C. The payload is a view into the mapped segment,
 * valid until the next call to {@link #next()} or {@link #seek(long)}; copy it to keep it.
 *
 * <p>A plain cursor ({@link WriteAheadLog#cursor(long)}) sees every record written so far, durable or not; a
 * tail ({@link WriteAheadLog#tail(long)}) sees only durable records and can wait for more. Confined to one
 * thread. Close it: it pins the segment it is reading against retirement.
 */
public final class WalCursor implements AutoCloseable
{
    private final LogState state;
    private final boolean durableOnly;
    private final FrameChecksum checksum = new FrameChecksum();
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private Segment segment;
    private int offset;
    private long lsn;
    private long nextWanted;
    private int type;
    private boolean closed;

    WalCursor(final LogState state, final boolean durableOnly, final long fromLsn)
    {
        this.state = state;
        this.durableOnly = durableOnly;
        seek(fromLsn);
    }

    /**
     * Positions the cursor so that {@link #next()} returns the first record whose LSN is at least {@code lsn}.
     * O(log n): a binary search for the segment, then over its sparse index, then at most
     * {@link Segment#INDEX_STRIDE} frames.
     *
     * @throws TidemarkException when {@code lsn} lies below the oldest retained segment
     */
    public void seek(final long target)
    {
        checkOpen();
        final Segment[] snapshot = state.segments();
        Segment found = LogState.find(snapshot, target);
        if (found == null)
        {
            if (snapshot.length == 0 || target < snapshot[0].firstLsn() && snapshot[0].firstLsn() > 1)
            {
                throw new TidemarkException("WAL LSN " + target + " was retired; the oldest kept is "
                    + (snapshot.length == 0 ? "none" : String.valueOf(snapshot[0].firstLsn())));
            }
            found = snapshot[0];
        }
        moveTo(found);
        offset = segment.floorOffset(target);
        final AtomicBuffer buffer = segment.buffer();
        while (true)
        {
            final int length = buffer.getIntVolatile(offset + FrameDescriptor.LENGTH_OFFSET);
            if (length == 0 || offset + FrameDescriptor.HEADER_LENGTH > segment.capacity()
                || buffer.getLong(offset + FrameDescriptor.LSN_OFFSET) >= target
                    && buffer.getLong(offset + FrameDescriptor.LSN_OFFSET) != FrameDescriptor.PADDING_LSN
                || buffer.getLong(offset + FrameDescriptor.LSN_OFFSET) > bound())
            {
                break;
            }
            offset += FrameDescriptor.alignedLength(length);
        }
        lsn = 0;
        nextWanted = target;
    }

    /** Advances to the next record. @return false when there is none (yet). */
    public boolean next()
    {
        checkOpen();
        final long limit = bound();
        while (true)
        {
            final AtomicBuffer buffer = segment.buffer();
            final int length = offset + FrameDescriptor.HEADER_LENGTH > segment.capacity()
                ? 0 : buffer.getIntVolatile(offset + FrameDescriptor.LENGTH_OFFSET);
            if (length == 0)
            {
                if (!advanceSegment())
                {
                    return false;
                }
                continue;
            }
            final long frameLsn = buffer.getLong(offset + FrameDescriptor.LSN_OFFSET);
            if (frameLsn > limit)
            {
                return false;
            }
            if (length < FrameDescriptor.HEADER_LENGTH || length > segment.capacity() - offset
                || checksum.compute(buffer, offset, length) != buffer.getInt(offset + FrameDescriptor.CRC_OFFSET))
            {
                throw new CorruptionException(segment.path(), offset, "WAL record checksum mismatch (LSN "
                    + frameLsn + ")");
            }
            if (frameLsn == FrameDescriptor.PADDING_LSN)
            {
                offset += FrameDescriptor.alignedLength(length);
                continue;
            }
            lsn = frameLsn;
            nextWanted = frameLsn + 1;
            type = buffer.getInt(offset + FrameDescriptor.TYPE_OFFSET);
            payload.wrap(buffer, offset + FrameDescriptor.HEADER_LENGTH, length - FrameDescriptor.HEADER_LENGTH);
            offset += FrameDescriptor.alignedLength(length);
            return true;
        }
    }

    /**
     * Tail cursors: waits until a record after the current one is durable, or the timeout passes.
     *
     * @return whether {@link #next()} now has a record
     */
    public boolean awaitNext(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        checkOpen();
        return (durableOnly ? state.durableWaiters() : state.writtenWaiters()).await(
            durableOnly ? state::durableLsn : state::writtenLsn, nextWanted,
            () -> state.failure() != null || state.isClosing(), unit.toNanos(timeout));
    }

    /** @return LSN of the current record. */
    public long lsn()
    {
        return lsn;
    }

    /** @return type of the current record, as given to {@link WriteAheadLog#append}. */
    public int type()
    {
        return type;
    }

    /** @return the current record's payload: a view, valid until the cursor moves. */
    public DirectBuffer payload()
    {
        return payload;
    }

    public int payloadLength()
    {
        return payload.capacity();
    }

    /** @return a copy of the current record's payload. */
    public byte[] payloadBytes()
    {
        final byte[] bytes = new byte[payload.capacity()];
        payload.getBytes(0, bytes);
        return bytes;
    }

    private long bound()
    {
        return durableOnly ? state.durableLsn() : state.writtenLsn();
    }

    private boolean advanceSegment()
    {
        final Segment[] snapshot = state.segments();
        for (final Segment candidate : snapshot)
        {
            if (candidate.segmentIndex() > segment.segmentIndex())
            {
                // a frame may have landed here just before the roll that added the later segment
                if (offset + FrameDescriptor.HEADER_LENGTH <= segment.capacity()
                    && segment.buffer().getIntVolatile(offset + FrameDescriptor.LENGTH_OFFSET) != 0)
                {
                    return true;
                }
                moveTo(candidate);
                offset = SegmentDescriptor.HEADER_LENGTH;
                return true;
            }
        }
        return false;
    }

    private void moveTo(final Segment next)
    {
        if (next == segment)
        {
            return;
        }
        if (!next.retain())
        {
            throw new TidemarkException("WAL segment " + next.path() + " was retired while being read");
        }
        if (segment != null)
        {
            segment.release();
        }
        segment = next;
        checksum.release();
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("WAL cursor is closed");
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            if (segment != null)
            {
                segment.release();
                segment = null;
            }
        }
    }
}
