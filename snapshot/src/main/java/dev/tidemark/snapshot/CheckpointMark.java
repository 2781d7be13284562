package dev.tidemark.snapshot;

/**
 * Where and when a checkpoint ended: its end record's LSN, the log's written position then, and
 * {@link System#nanoTime()} then. The checkpointer measures time and log volume from it.
 */
public record CheckpointMark(long lsn, long position, long nanos)
{
}
