package dev.tidemark;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/** What running a {@link Script} under one schedule produced: per transaction its results and how it ended. */
final class ScheduleOutcome
{
    private final List<List<Object>> results = new ArrayList<>();
    private final String[] failures;
    private final boolean[] committed;
    private final List<String> trace = new ArrayList<>();
    private SortedMap<String, String> finalState;
    private int blocked;

    ScheduleOutcome(final int txns)
    {
        for (int t = 0; t < txns; t++)
        {
            results.add(new ArrayList<>());
        }
        failures = new String[txns];
        committed = new boolean[txns];
    }

    void result(final int txn, final Object result)
    {
        results.get(txn).add(result);
    }

    void markCommitted(final int txn)
    {
        committed[txn] = true;
    }

    void failed(final int txn, final String failure)
    {
        failures[txn] = failure;
    }

    void trace(final String event)
    {
        trace.add(event);
    }

    void blocked()
    {
        blocked++;
    }

    void finalState(final SortedMap<String, String> state)
    {
        finalState = state;
    }

    boolean committed(final int txn)
    {
        return committed[txn];
    }

    /** @return what step {@code step} of transaction {@code txn} returned */
    Object result(final int txn, final int step)
    {
        return results.get(txn).get(step);
    }

    String failure(final int txn)
    {
        return failures[txn];
    }

    int committedCount()
    {
        int count = 0;
        for (final boolean c : committed)
        {
            count += c ? 1 : 0;
        }
        return count;
    }

    int blockedCount()
    {
        return blocked;
    }

    SortedMap<String, String> finalState()
    {
        return finalState;
    }

    List<String> trace()
    {
        return trace;
    }

    @Override
    public String toString()
    {
        return "trace " + trace + "\n  final state " + finalState;
    }
}
