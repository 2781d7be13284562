package dev.tidemark.history;

import dev.tidemark.IsolationLevel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What {@link HistoryChecker} found: anomalies, and counts that show how much the history could tell. */
public final class CheckResult
{
    private final List<Anomaly> anomalies;
    private final int committed;
    private final int failed;
    private final int edges;
    private final int resolvedReads;
    private final int ambiguousReads;

    CheckResult(final List<Anomaly> anomalies, final int committed, final int failed, final int edges,
        final int resolvedReads, final int ambiguousReads)
    {
        this.anomalies = List.copyOf(anomalies);
        this.committed = committed;
        this.failed = failed;
        this.edges = edges;
        this.resolvedReads = resolvedReads;
        this.ambiguousReads = ambiguousReads;
    }

    public List<Anomaly> anomalies()
    {
        return anomalies;
    }

    /** @return the anomalies a history at {@code level} must not show */
    public List<Anomaly> forbiddenAt(final IsolationLevel level)
    {
        final List<Anomaly> forbidden = new ArrayList<>();
        for (final Anomaly anomaly : anomalies)
        {
            if (anomaly.type().forbiddenAt(level))
            {
                forbidden.add(anomaly);
            }
        }
        return forbidden;
    }

    /** @return how many anomalies of each type were reported */
    public Map<AnomalyType, Integer> counts()
    {
        final Map<AnomalyType, Integer> counts = new EnumMap<>(AnomalyType.class);
        for (final Anomaly anomaly : anomalies)
        {
            counts.merge(anomaly.type(), 1, Integer::sum);
        }
        return counts;
    }

    public boolean has(final AnomalyType type)
    {
        return anomalies.stream().anyMatch(a -> a.type() == type);
    }

    public int committed()
    {
        return committed;
    }

    public int failed()
    {
        return failed;
    }

    public int edges()
    {
        return edges;
    }

    /** @return reads (of a key, or of a key in a scanned range) whose version was identified */
    public int resolvedReads()
    {
        return resolvedReads;
    }

    /** @return reads of an absent key that could have been any of several absent versions (no edge drawn) */
    public int ambiguousReads()
    {
        return ambiguousReads;
    }

    public String summary()
    {
        return committed + " committed, " + failed + " failed, " + edges + " edges, " + resolvedReads
            + " resolved reads, " + ambiguousReads + " ambiguous absent reads, anomalies " + counts();
    }

    /** @return the forbidden anomalies at {@code level}, one per paragraph */
    public String describeForbidden(final IsolationLevel level)
    {
        final StringBuilder text = new StringBuilder();
        for (final Anomaly anomaly : forbiddenAt(level))
        {
            text.append(anomaly).append("\n");
        }
        return text.toString();
    }
}
