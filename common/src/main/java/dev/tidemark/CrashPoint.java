package dev.tidemark;

/**
 * A named moment inside the engine at which a crash test may crash the machine: see {@link CrashPoints}. Each
 * sits between two steps whose order the crash guarantees depend on.
 */
public enum CrashPoint
{
    /** The log's journal wrote a batch of frames to its segment and has not forced it. */
    WAL_WRITTEN_NOT_FORCED,
    /** The log forced a batch; the appenders waiting for it (commits among them) are not told yet. */
    WAL_FORCED_NOT_ACKNOWLEDGED,
    /** A batch of page images is in the doublewrite area, forced; no home page of the batch is written yet. */
    PAGES_IN_DOUBLEWRITE,
    /** Some home pages of a batch are written, not all of them, and none is forced. */
    PAGE_WRITE_MIDWAY,
    /** A checkpoint logged its begin record and wrote its pages; its tables (the end record) are not logged. */
    CHECKPOINT_TABLES_NOT_LOGGED,
    /** A checkpoint logged its end record, forced; the master record still names the previous checkpoint. */
    CHECKPOINT_BEFORE_MASTER_RECORD,
    /** The new master record is written and forced under its temporary name; the rename has not happened. */
    MASTER_RECORD_NOT_RENAMED,
    /** Restart recovery's redo pass is reading the log (reached once for each transaction record it sees). */
    RECOVERY_REDO,
    /** Restart recovery's undo pass rolled back a loser and has not logged its abort record. */
    RECOVERY_UNDO
}
