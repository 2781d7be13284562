package dev.tidemark.history;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread-safe record of transaction attempts, in invocation order. Times come from {@link System#nanoTime()},
 * unless a hand-written history sets them.
 */
public final class History
{
    private final List<TxnRecord> records = new ArrayList<>();

    /** Records the invocation of a transaction by {@code process}, now. */
    public TxnRecord invoke(final int process)
    {
        return invoke(process, System.nanoTime());
    }

    public synchronized TxnRecord invoke(final int process, final long nanos)
    {
        final TxnRecord record = new TxnRecord(records.size(), process, nanos);
        records.add(record);
        return record;
    }

    /** @return a copy of the records, in invocation order */
    public synchronized List<TxnRecord> records()
    {
        return new ArrayList<>(records);
    }

    public synchronized int size()
    {
        return records.size();
    }
}
