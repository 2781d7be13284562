package dev.tidemark.wal;

import java.util.List;

/**
 * What opening the log found and did.
 *
 * @param segments         segments in use after the open
 * @param firstLsn         LSN of the oldest record kept (0 when the log is empty)
 * @param lastLsn          LSN of the newest record kept (0 when the log is empty)
 * @param records          records found
 * @param trimmedBytes     bytes of torn tail cleared (beyond the last valid record)
 * @param discarded        descriptions of valid data dropped or skipped by a tolerant {@link RecoveryMode}
 * @param mode             the recovery mode used
 */
public record WalOpenReport(
    int segments, long firstLsn, long lastLsn, long records, long trimmedBytes, List<String> discarded,
    RecoveryMode mode)
{
}
