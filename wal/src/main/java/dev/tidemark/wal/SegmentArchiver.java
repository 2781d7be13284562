package dev.tidemark.wal;

import java.nio.file.Path;

/**
 * Receives each completed segment: forced whole, never written again. Called on the log's
 * {@code tidemark-wal-allocator} thread, in segment order; a segment is not retired before its call returned.
 * An exception thrown here is kept and reported by {@link WriteAheadLog#archiveFailure()}; the segment is then
 * held back from retirement so nothing unarchived is deleted.
 */
@FunctionalInterface
public interface SegmentArchiver
{
    void segmentCompleted(Path segment, long firstLsn, long lastLsn) throws Exception;
}
