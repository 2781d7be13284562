package dev.tidemark.wal;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.AtomicBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file, mapped whole, with a sparse index of its frames.
 *
 * <p>Threading: the journal thread is the only writer (frames, {@link #addIndexEntry}, {@link #endOffset});
 * readers see what the log published through its volatile written LSN. Readers pin the segment with
 * {@link #retain()} / {@link #release()} so that retirement never unmaps memory someone is reading.
 */
final class Segment
{
    private static final Logger LOG = LoggerFactory.getLogger(Segment.class);

    /** Every {@value}-th record of a segment is indexed. */
    static final int INDEX_STRIDE = 64;

    private final long segmentIndex;
    private final Path path;
    private final FileHandle file;
    private final MappedRegion region;
    private final AtomicInteger pins = new AtomicInteger(1);
    private long firstLsn;
    private int[] indexOffsets;
    private int indexSize;
    private int recordCount;
    private volatile int endOffset;
    private volatile long lastLsn;
    private volatile boolean retired;
    private volatile boolean archived;

    Segment(final long segmentIndex, final Path path, final FileHandle file, final MappedRegion region)
    {
        this.segmentIndex = segmentIndex;
        this.path = path;
        this.file = file;
        this.region = region;
        this.indexOffsets = new int[16];
        this.endOffset = SegmentDescriptor.HEADER_LENGTH;
    }

    long segmentIndex()
    {
        return segmentIndex;
    }

    Path path()
    {
        return path;
    }

    AtomicBuffer buffer()
    {
        return region.buffer();
    }

    MappedRegion region()
    {
        return region;
    }

    FileHandle file()
    {
        return file;
    }

    int capacity()
    {
        return region.size();
    }

    long firstLsn()
    {
        return firstLsn;
    }

    void firstLsn(final long firstLsn)
    {
        this.firstLsn = firstLsn;
        this.lastLsn = firstLsn - 1;
    }

    /** @return LSN of the last record written to this segment, or {@code firstLsn - 1} when it has none. */
    long lastLsn()
    {
        return lastLsn;
    }

    int endOffset()
    {
        return endOffset;
    }

    int recordCount()
    {
        return recordCount;
    }

    /** Journal (or open-time scan) only: a frame of {@code lsn} now ends at {@code newEndOffset}. */
    void recordAppended(final int frameOffset, final long lsn, final int newEndOffset)
    {
        if (recordCount % INDEX_STRIDE == 0)
        {
            addIndexEntry(frameOffset);
        }
        recordCount++;
        endOffset = newEndOffset;
        lastLsn = lsn;
    }

    private void addIndexEntry(final int frameOffset)
    {
        if (indexSize == indexOffsets.length)
        {
            final int[] grown = new int[indexSize * 2];
            System.arraycopy(indexOffsets, 0, grown, 0, indexSize);
            indexOffsets = grown;
        }
        indexOffsets[indexSize++] = frameOffset;
    }

    /**
     * @return the offset of the last indexed frame whose LSN is at most {@code lsn}; the scan goes on from
     * there (at most {@link #INDEX_STRIDE} frames). Binary search over the index: O(log n).
     */
    int floorOffset(final long lsn)
    {
        // The journal grows the index before it writes endOffset (volatile), so after this read a reader sees
        // every entry of the frames published so far; entries past it, or a size larger than the array seen, are
        // not trusted.
        final int published = endOffset;
        final int[] offsets = indexOffsets;
        final AtomicBuffer buffer = region.buffer();
        int low = 0;
        int high = Math.min(indexSize, offsets.length) - 1;
        int found = SegmentDescriptor.HEADER_LENGTH;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final int offset = offsets[mid];
            if (offset >= SegmentDescriptor.HEADER_LENGTH && offset < published
                && buffer.getLong(offset + FrameDescriptor.LSN_OFFSET) <= lsn)
            {
                found = offset;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    boolean retain()
    {
        while (true)
        {
            final int current = pins.get();
            if (current == 0)
            {
                return false;
            }
            if (pins.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    void release()
    {
        if (pins.decrementAndGet() == 0)
        {
            region.close();
            try
            {
                file.close();
            }
            catch (final IOException ex)
            {
                // closing writes nothing: durability never depended on it, and the handle is gone either way
                LOG.warn("Closing WAL segment {} failed", path, ex);
            }
        }
    }

    /** The archive hook has taken this segment (or there is no hook). */
    void markArchived()
    {
        archived = true;
    }

    boolean isArchived()
    {
        return archived;
    }

    boolean isRetired()
    {
        return retired;
    }

    /** Drops the log's own pin; the mapping goes away once the last reader lets go. */
    void retire()
    {
        if (!retired)
        {
            retired = true;
            release();
        }
    }

    @Override
    public String toString()
    {
        return path + " [first LSN " + firstLsn + ", last LSN " + lastLsn + "]";
    }
}
