package dev.tidemark.mvcc;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe {@link CommitTable} for tests: a logical clock, a map of committed transactions and the read
 * timestamps of the open snapshots. A commit takes the next timestamp and is recorded under the same lock that a
 * snapshot takes its read timestamp under, so a snapshot at {@code t} sees exactly the commits at or below
 * {@code t}. The prune horizon is the oldest open snapshot's read timestamp, or the clock when none is open.
 */
final class TestCommitTable implements CommitTable
{
    private final ConcurrentHashMap<Long, Long> committed = new ConcurrentHashMap<>();
    private final TreeMap<Long, Integer> openSnapshots = new TreeMap<>();
    private long clock;

    @Override
    public long commitTimestamp(final long transactionId)
    {
        if (transactionId == SYSTEM_TRANSACTION)
        {
            return 0;
        }
        return committed.getOrDefault(transactionId, NOT_COMMITTED);
    }

    @Override
    public synchronized long pruneHorizon()
    {
        return openSnapshots.isEmpty() ? clock : openSnapshots.firstKey();
    }

    /** @return the commit timestamp given to {@code transactionId} */
    synchronized long commit(final long transactionId)
    {
        if (committed.containsKey(transactionId))
        {
            throw new IllegalStateException("transaction " + transactionId + " committed twice");
        }
        final long timestamp = ++clock;
        committed.put(transactionId, timestamp);
        return timestamp;
    }

    synchronized long now()
    {
        return clock;
    }

    /** Opens a snapshot at the current clock; it holds the prune horizon until {@link #endSnapshot}. */
    synchronized long beginSnapshot()
    {
        final long timestamp = clock;
        openSnapshots.merge(timestamp, 1, Integer::sum);
        return timestamp;
    }

    synchronized void endSnapshot(final long timestamp)
    {
        final Integer count = openSnapshots.get(timestamp);
        if (count == null)
        {
            throw new IllegalStateException("no open snapshot at " + timestamp);
        }
        if (count == 1)
        {
            openSnapshots.remove(timestamp);
        }
        else
        {
            openSnapshots.put(timestamp, count - 1);
        }
    }

    synchronized int openSnapshotCount()
    {
        return openSnapshots.values().stream().mapToInt(Integer::intValue).sum();
    }
}
