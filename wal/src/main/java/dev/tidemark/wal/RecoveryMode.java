package dev.tidemark.wal;

/**
 * What opening the log does with bytes that are not a valid record. Modelled on RocksDB's WAL recovery modes.
 * A record is known durable when a later valid frame's durable hint covers it, or when a later segment exists
 * (a segment is forced whole before its successor is used).
 */
public enum RecoveryMode
{
    /**
     * The default. An invalid frame after the last record known durable is a torn tail: it and everything after
     * it is trimmed (and the trim forced). An invalid frame at or before a record known durable is corruption:
     * open fails with {@link dev.tidemark.CorruptionException} naming segment and offset. Safe after any crash.
     */
    TOLERATE_CORRUPTED_TAIL,
    /**
     * Any invalid byte after the last valid record fails the open, torn tails included. Safe only after a clean
     * shutdown, when the log must end exactly at its last record.
     */
    ABSOLUTE_CONSISTENCY,
    /**
     * Stops at the first invalid frame and discards everything after it, even records known durable. The log
     * is a consistent prefix but committed work after the damage is lost (reported in {@link WalOpenReport}).
     * Use only to salvage a damaged log when losing the suffix is acceptable.
     */
    POINT_IN_TIME,
    /**
     * Skips every invalid region and keeps each valid record after it, leaving gaps in the LSN sequence
     * (reported in {@link WalOpenReport}). Never safe for transactional data: a skipped record may be part of
     * a committed transaction. For salvage and forensics only.
     */
    SKIP_CORRUPTED
}
