package dev.tidemark.wal;

import dev.tidemark.CorruptionException;
import dev.tidemark.UnsupportedFormatException;
import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The open-time pass over the log: validates segment headers, rebuilds each segment's index, finds the end of
 * valid data, tells a torn tail from corruption, and applies the {@link RecoveryMode}. The torn tail is zeroed
 * and forced and unused trailing segments deleted, so that nothing written before the crash can reappear after
 * new records.
 *
 * <p>Runs on the opening thread before any other component starts.
 */
final class LogScanner
{
    private final FileIo fileIo;
    private final Path directory;
    private final RecoveryMode mode;
    private final FrameChecksum checksum = new FrameChecksum();
    private final List<String> discarded = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final List<Segment> pendingForce = new ArrayList<>();
    private final Set<Segment> tornHeaders = new HashSet<>();
    private long trimmedBytes;
    private long records;
    private long highestIndex;

    LogScanner(final FileIo fileIo, final Path directory, final RecoveryMode mode)
    {
        this.fileIo = fileIo;
        this.directory = directory;
        this.mode = mode;
    }

    List<Segment> segments()
    {
        return segments;
    }

    long highestSegmentIndex()
    {
        return highestIndex;
    }

    WalOpenReport report()
    {
        final long first = segments.isEmpty() || records == 0 ? 0 : firstRecordLsn();
        final long last = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastLsn();
        return new WalOpenReport(segments.size(), first, records == 0 ? 0 : last, records, trimmedBytes,
            List.copyOf(discarded), mode);
    }

    private long firstRecordLsn()
    {
        for (final Segment segment : segments)
        {
            if (segment.recordCount() > 0)
            {
                return segment.buffer().getLong(SegmentDescriptor.HEADER_LENGTH + FrameDescriptor.LSN_OFFSET);
            }
        }
        return 0;
    }

    void scan() throws IOException
    {
        final List<Path> files = new ArrayList<>();
        for (final Path path : fileIo.list(directory))
        {
            final long index = SegmentDescriptor.parseFileName(path.getFileName().toString());
            if (index > 0)
            {
                files.add(path);
                highestIndex = Math.max(highestIndex, index);
            }
        }
        files.sort(null);
        final List<Segment> mapped = new ArrayList<>();
        try
        {
            final List<Path> unusedShort = new ArrayList<>();
            for (final Path path : files)
            {
                final Segment segment = map(path);
                if (segment == null)
                {
                    unusedShort.add(path);
                }
                else if (!unusedShort.isEmpty() && segment.firstLsn() != 0)
                {
                    segment.retire();
                    throw new CorruptionException(unusedShort.get(0), 0,
                        "WAL segment is shorter than its header but later segments are in use");
                }
                else
                {
                    mapped.add(segment);
                }
            }
            for (final Path path : unusedShort)
            {
                fileIo.delete(path);
            }
            final int used = countUsed(mapped);
            scanUsed(new ArrayList<>(mapped.subList(0, used)));
            checkTornHeaders(mapped.subList(used, mapped.size()));
            deleteUnused(mapped, used, !unusedShort.isEmpty());
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final Segment segment : mapped)
            {
                segment.retire();
            }
            segments.clear();
            throw ex;
        }
    }

    private Segment map(final Path path) throws IOException
    {
        final FileHandle file = fileIo.open(path, FileIo.OpenMode.READ_WRITE);
        final long size = file.size();
        if (size < SegmentDescriptor.HEADER_LENGTH)
        {
            // a spare whose allocation a crash cut short: it never held a record
            file.close();
            return null;
        }
        if (size > Integer.MAX_VALUE)
        {
            file.close();
            throw new CorruptionException(path, 0, "WAL segment has impossible length " + size);
        }
        final MappedRegion region = file.map(0, (int)size);
        final Segment segment = new Segment(SegmentDescriptor.parseFileName(path.getFileName().toString()), path,
            file, region);
        final AtomicBuffer buffer = region.buffer();
        if (!SegmentDescriptor.isBlank(buffer))
        {
            if (headerIsValid(path, buffer))
            {
                checkLength(path, buffer, size);
                segment.firstLsn(buffer.getLong(SegmentDescriptor.FIRST_LSN_OFFSET));
            }
            else
            {
                tornHeaders.add(segment);
            }
        }
        return segment;
    }

    /**
     * @return false when the header is damaged (bad magic or checksum): acceptable only for the last segment,
     * whose header is forced with its first records and may be torn by a crash before that force
     * @throws UnsupportedFormatException for a Tidemark segment of another format version
     */
    private static boolean headerIsValid(final Path path, final AtomicBuffer buffer)
    {
        if (buffer.getInt(SegmentDescriptor.MAGIC_OFFSET) != SegmentDescriptor.MAGIC)
        {
            return false;
        }
        final int version = buffer.getShort(SegmentDescriptor.VERSION_OFFSET);
        if (version != SegmentDescriptor.FORMAT_VERSION)
        {
            throw new UnsupportedFormatException(path, "WAL segment", version, SegmentDescriptor.FORMAT_VERSION);
        }
        return buffer.getInt(SegmentDescriptor.HEADER_CRC_OFFSET) == SegmentDescriptor.headerCrc(buffer);
    }

    /**
     * A damaged header after the last valid segment is a roll torn by a crash, unless a frame in that segment
     * proves (by its durable hint) that its first record was forced, and the header with it.
     */
    private void checkTornHeaders(final List<Segment> unused)
    {
        final long expected = segments.isEmpty() ? 1 : segments.get(segments.size() - 1).lastLsn() + 1;
        for (final Segment segment : unused)
        {
            if (tornHeaders.contains(segment)
                && laterHintCovers(segment.buffer(), SegmentDescriptor.HEADER_LENGTH - FrameDescriptor.ALIGNMENT,
                segment.capacity(), expected))
            {
                throw new CorruptionException(segment.path(), 0,
                    "WAL segment header is damaged but the segment holds durable records");
            }
            if (tornHeaders.contains(segment))
            {
                trimmedBytes += segment.capacity();
            }
        }
    }

    private static void checkLength(final Path path, final AtomicBuffer buffer, final long size)
    {
        if (buffer.getLong(SegmentDescriptor.SEGMENT_LENGTH_OFFSET) != size)
        {
            throw new CorruptionException(path, SegmentDescriptor.SEGMENT_LENGTH_OFFSET,
                "WAL segment length " + size + " differs from its header");
        }
    }

    /**
     * Segments are used in index order; blank ones (prepared spares, possibly cut short by a crash) may only
     * follow the last used one.
     */
    private int countUsed(final List<Segment> mapped)
    {
        int used = 0;
        for (int i = 0; i < mapped.size(); i++)
        {
            if (mapped.get(i).firstLsn() != 0)
            {
                if (used != i)
                {
                    final Segment blank = mapped.get(used);
                    throw new CorruptionException(blank.path(), 0,
                        "WAL segment header is blank or damaged but later segments are in use");
                }
                used = i + 1;
            }
        }
        return used;
    }

    private void deleteUnused(final List<Segment> mapped, final int used, final boolean deletedAlready)
        throws IOException
    {
        final List<Segment> unused = new ArrayList<>(mapped.subList(used, mapped.size()));
        for (final Segment segment : unused)
        {
            segment.retire();
            fileIo.delete(segment.path());
        }
        if (!unused.isEmpty() || deletedAlready)
        {
            fileIo.forceDirectory(directory);
        }
        mapped.subList(used, mapped.size()).clear();
    }

    private void scanUsed(final List<Segment> used) throws IOException
    {
        long expected = used.isEmpty() ? 1 : used.get(0).firstLsn();
        for (int i = 0; i < used.size(); i++)
        {
            final Segment segment = used.get(i);
            if (segment.firstLsn() != expected && !segments.isEmpty())
            {
                final Segment previous = segments.get(segments.size() - 1);
                if (segment.firstLsn() < expected || mode != RecoveryMode.SKIP_CORRUPTED)
                {
                    throw new CorruptionException(previous.path(), previous.endOffset(), "WAL records "
                        + expected + " to " + (segment.firstLsn() - 1) + " are missing before " + segment.path());
                }
                discarded.add("skipped missing LSNs " + expected + ".." + (segment.firstLsn() - 1));
            }
            segments.add(segment);
            final int end = scanFrames(segment, used.subList(i + 1, used.size()));
            for (final Segment padded : pendingForce)
            {
                padded.region().force(0, padded.capacity());
            }
            pendingForce.clear();
            if (end >= 0)
            {
                trim(segment, end);
                final List<Segment> after = new ArrayList<>(used.subList(i + 1, used.size()));
                for (final Segment dropped : after)
                {
                    if (dropped.recordCount() > 0 || dropped.firstLsn() != 0)
                    {
                        trimmedBytes += dropped.capacity();
                    }
                    dropped.retire();
                    fileIo.delete(dropped.path());
                }
                if (!after.isEmpty())
                {
                    fileIo.forceDirectory(directory);
                }
                return;
            }
            expected = segment.lastLsn() + 1;
        }
    }

    /**
     * Reads the frames of one segment into its index.
     *
     * @return -1 when the segment ends cleanly and the log goes on in the next segment; otherwise the offset
     * at which the log must end (torn tail, or data discarded by a tolerant mode)
     */
    private int scanFrames(final Segment segment, final List<Segment> later)
    {
        final AtomicBuffer buffer = segment.buffer();
        final int capacity = segment.capacity();
        int offset = SegmentDescriptor.HEADER_LENGTH;
        long expected = segment.firstLsn();
        while (true)
        {
            final int frameLength = validFrameLength(buffer, offset, capacity);
            if (frameLength > 0 && buffer.getLong(offset + FrameDescriptor.LSN_OFFSET) == FrameDescriptor.PADDING_LSN)
            {
                offset += FrameDescriptor.alignedLength(frameLength);
                continue;
            }
            if (frameLength > 0 && buffer.getLong(offset + FrameDescriptor.LSN_OFFSET) == expected)
            {
                segment.recordAppended(offset, expected, offset + FrameDescriptor.alignedLength(frameLength));
                records++;
                expected++;
                offset += FrameDescriptor.alignedLength(frameLength);
                continue;
            }
            final boolean cleanEnd = isZero(buffer, offset, capacity);
            final Segment next = later.isEmpty() ? null : later.get(0);
            if (cleanEnd && (next == null || next.firstLsn() == expected))
            {
                return next == null ? offset : -1;
            }
            final boolean provenDurable = next != null || laterHintCovers(buffer, offset, capacity, expected);
            if (!provenDurable && mode != RecoveryMode.ABSOLUTE_CONSISTENCY)
            {
                return offset; // torn tail: bytes written after the last force
            }
            switch (mode)
            {
                case POINT_IN_TIME:
                    discarded.add("discarded from LSN " + expected + " on: invalid frame in " + segment.path()
                        + " at byte offset " + offset);
                    return offset;
                case SKIP_CORRUPTED:
                    final int resync = nextValidFrame(buffer, offset + FrameDescriptor.ALIGNMENT, capacity, expected);
                    if (resync < 0)
                    {
                        if (next == null)
                        {
                            return offset; // nothing valid follows: an ordinary trim
                        }
                        discarded.add("skipped invalid bytes in " + segment.path() + " from offset " + offset
                            + " to the segment's end (missing LSNs from " + expected + ")");
                        padToEnd(segment, offset);
                        return -1;
                    }
                    final long resumed = buffer.getLong(resync + FrameDescriptor.LSN_OFFSET);
                    discarded.add("skipped invalid bytes in " + segment.path() + " at offsets " + offset + ".."
                        + (resync - 1) + " (missing LSNs " + expected + ".." + (resumed - 1) + ")");
                    pad(segment, offset, resync);
                    offset = resync;
                    expected = resumed;
                    continue;
                default:
                    throw new CorruptionException(segment.path(), offset, provenDurable
                        ? "Invalid WAL record (LSN " + expected + ") before the end of durable data"
                        : "Incomplete WAL record (LSN " + expected + ") at the end of the log,"
                            + " rejected by ABSOLUTE_CONSISTENCY");
            }
        }
    }

    private int validFrameLength(final AtomicBuffer buffer, final int offset, final int capacity)
    {
        if (offset + FrameDescriptor.HEADER_LENGTH > capacity)
        {
            return -1;
        }
        final int length = buffer.getInt(offset + FrameDescriptor.LENGTH_OFFSET);
        if (length < FrameDescriptor.HEADER_LENGTH || length > capacity - offset)
        {
            return -1;
        }
        if (checksum.compute(buffer, offset, length) != buffer.getInt(offset + FrameDescriptor.CRC_OFFSET))
        {
            return -1;
        }
        return length;
    }

    private boolean laterHintCovers(final AtomicBuffer buffer, final int from, final int capacity, final long lsn)
    {
        for (int at = from + FrameDescriptor.ALIGNMENT; at + FrameDescriptor.HEADER_LENGTH <= capacity;
            at += FrameDescriptor.ALIGNMENT)
        {
            if (buffer.getInt(at) != 0 && validFrameLength(buffer, at, capacity) > 0
                && buffer.getLong(at + FrameDescriptor.DURABLE_HINT_OFFSET) >= lsn)
            {
                return true;
            }
        }
        return false;
    }

    private int nextValidFrame(final AtomicBuffer buffer, final int from, final int capacity, final long lsn)
    {
        for (int at = from; at + FrameDescriptor.HEADER_LENGTH <= capacity; at += FrameDescriptor.ALIGNMENT)
        {
            if (buffer.getInt(at) != 0 && validFrameLength(buffer, at, capacity) > 0
                && buffer.getLong(at + FrameDescriptor.LSN_OFFSET) > lsn)
            {
                return at;
            }
        }
        return -1;
    }

    private static boolean isZero(final AtomicBuffer buffer, final int from, final int capacity)
    {
        return lastNonZero(buffer, from, capacity) < from;
    }

    private static int lastNonZero(final AtomicBuffer buffer, final int from, final int capacity)
    {
        int at = capacity - 1;
        while (at >= from && (at & 7) != 7)
        {
            if (buffer.getByte(at) != 0)
            {
                return at;
            }
            at--;
        }
        while (at - 7 >= from)
        {
            if (buffer.getLong(at - 7) != 0)
            {
                return at;
            }
            at -= 8;
        }
        while (at >= from)
        {
            if (buffer.getByte(at) != 0)
            {
                return at;
            }
            at--;
        }
        return from - 1;
    }

    /**
     * Covers skipped bytes with a padding frame (LSN 0) so that cursors step over them, and forces it. A gap too
     * small for a frame header cannot come from whole frames and is reported as corruption.
     */
    private void pad(final Segment segment, final int from, final int to)
    {
        final int length = to - from;
        if (length < FrameDescriptor.HEADER_LENGTH)
        {
            throw new CorruptionException(segment.path(), from, "Invalid WAL bytes too short to skip");
        }
        final AtomicBuffer buffer = segment.buffer();
        buffer.setMemory(from, length, (byte)0);
        buffer.putLong(from + FrameDescriptor.LSN_OFFSET, FrameDescriptor.PADDING_LSN);
        buffer.putInt(from + FrameDescriptor.CRC_OFFSET, checksum.compute(buffer, from, length));
        buffer.putInt(from + FrameDescriptor.LENGTH_OFFSET, length);
        pendingForce.add(segment);
    }

    /** Covers the bytes from {@code from} to the end of the segment: a padding frame, or zeros if too short. */
    private void padToEnd(final Segment segment, final int from)
    {
        if (segment.capacity() - from >= FrameDescriptor.HEADER_LENGTH)
        {
            pad(segment, from, segment.capacity());
        }
        else
        {
            segment.buffer().setMemory(from, segment.capacity() - from, (byte)0);
            pendingForce.add(segment);
        }
    }

    /** Zeroes everything from {@code end} to the last non-zero byte of the segment and forces the segment. */
    private void trim(final Segment segment, final int end) throws IOException
    {
        final AtomicBuffer buffer = segment.buffer();
        final int last = lastNonZero(buffer, end, segment.capacity());
        if (last >= end)
        {
            buffer.setMemory(end, last - end + 1, (byte)0);
            trimmedBytes += last - end + 1;
        }
        segment.region().force(0, segment.capacity());
    }
}
