package dev.tidemark.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a list-append {@link History} in the spirit of Elle: recovers each key's version order from its final
 * event list, identifies the version every read saw, draws ww, wr and rw edges among committed transactions and
 * hands the graph to {@link CycleChecker}; on the way it reports G1a, G1b, lost and aborted writes, reads that
 * match no version, and stale or future reads (against the recorded real time).
 *
 * <p>A read of an absent key could have seen the initial state or any delete: it is identified only when
 * real-time bounds leave a single candidate (the earliest version is the newest one whose writer's commit had
 * returned before the reader began; the latest is the newest whose writer had begun to commit before the read
 * returned) and those all lie in one absent state (see {@link KeyVersions}). Otherwise it draws no edge, which can
 * hide a cycle but never invents one.
 */
public final class HistoryChecker
{
    private final List<String> keys;
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final Map<Long, TxnRecord> writers = new HashMap<>();
    private final Map<String, KeyVersions> versions = new HashMap<>();
    private final DependencyGraph graph = new DependencyGraph();
    private int resolved;
    private int ambiguous;

    /** @param keys every key the workload may touch (scans read the absent ones too) */
    public HistoryChecker(final List<String> keys)
    {
        this.keys = List.copyOf(keys);
    }

    /**
     * @param finalEvents each key's final event list (its version order)
     * @param finalData   each key's final value as a list, null (or missing) when absent; null to skip the check
     */
    public CheckResult check(final List<TxnRecord> records, final Map<String, List<Long>> finalEvents,
        final Map<String, List<Long>> finalData)
    {
        int committed = 0;
        for (final TxnRecord txn : records)
        {
            if (txn.isOk())
            {
                committed++;
                graph.addNode(txn);
            }
            for (final Op op : txn.ops())
            {
                if (op.writes() && writers.put(op.element(), txn) != null)
                {
                    throw new IllegalArgumentException("element " + op.element() + " is written twice");
                }
            }
        }
        for (final String key : keys)
        {
            final KeyVersions kv = new KeyVersions(key,
                java.util.Objects.requireNonNullElse(finalEvents.get(key), List.of()), writers);
            versions.put(key, kv);
            checkVersionOrder(kv);
            if (finalData != null)
            {
                checkFinalValue(kv, finalData.get(key));
            }
            addWriteWriteEdges(kv);
        }
        for (final TxnRecord txn : records)
        {
            if (txn.isOk())
            {
                checkWritesSurvived(txn);
            }
            checkReads(txn);
        }
        final long base = records.stream().mapToLong(TxnRecord::invokeNanos).min().orElse(0);
        anomalies.addAll(new CycleChecker(graph, txn -> txn.describe(base)).check());
        return new CheckResult(anomalies, committed, records.size() - committed, graph.edgeCount(), resolved,
            ambiguous);
    }

    private void report(final AnomalyType type, final String description)
    {
        anomalies.add(new Anomaly(type, description));
    }

    // ------------------------------------------------------------------------------------------ writes

    private void checkVersionOrder(final KeyVersions kv)
    {
        for (int j = 1; j <= kv.size(); j++)
        {
            final long element = kv.events().get(j - 1);
            final TxnRecord writer = kv.writer(j);
            if (writer == null)
            {
                report(AnomalyType.INCOMPATIBLE_READ, "key " + kv.key() + " holds element " + element
                    + " that no transaction wrote: " + kv.events());
            }
            else if (!writer.isOk())
            {
                report(AnomalyType.ABORTED_WRITE, "key " + kv.key() + " holds element " + element + " of failed "
                    + writer + "; events " + kv.events());
            }
            else if (kv.positionOf(element) != j)
            {
                report(AnomalyType.INCOMPATIBLE_READ, "key " + kv.key() + " holds element " + element + " twice: "
                    + kv.events());
            }
        }
    }

    private void checkFinalValue(final KeyVersions kv, final List<Long> value)
    {
        final boolean absent = kv.absentAt(kv.size());
        if (absent ? value != null : !kv.events().equals(value))
        {
            report(AnomalyType.FINAL_STATE, "key " + kv.key() + " holds " + value + " but its version order is "
                + kv.events());
        }
    }

    private void addWriteWriteEdges(final KeyVersions kv)
    {
        for (int j = kv.nextInstalled(0); j > 0; )
        {
            final int next = kv.nextInstalled(j);
            if (next < 0)
            {
                break;
            }
            final TxnRecord from = kv.writer(j);
            final TxnRecord to = kv.writer(next);
            if (from != null && to != null && from.isOk() && to.isOk())
            {
                graph.add(from, to, DependencyGraph.WW, kv.key() + ": v" + j + " -> v" + next);
            }
            j = next;
        }
    }

    private void checkWritesSurvived(final TxnRecord txn)
    {
        for (final Op op : txn.ops())
        {
            if (!op.writes())
            {
                continue;
            }
            final KeyVersions kv = versions.get(op.key());
            final int at = kv == null ? -1 : kv.positionOf(op.element());
            if (at < 0)
            {
                report(AnomalyType.LOST_WRITE, op + " of committed " + txn + " is missing from the version order "
                    + (kv == null ? "(unknown key)" : kv.events()));
            }
            else if (!kv.events().subList(0, at - 1).equals(op.observed()))
            {
                report(AnomalyType.LOST_WRITE, op + " of committed " + txn + " read " + op.observed()
                    + " before writing, but its element follows " + kv.events().subList(0, at - 1)
                    + " in the version order (a lost update)");
            }
        }
    }

    // ------------------------------------------------------------------------------------------- reads

    private void checkReads(final TxnRecord txn)
    {
        final Map<String, List<Long>> own = new HashMap<>();
        for (final Op op : txn.ops())
        {
            if (!op.isCompleted())
            {
                return;
            }
            switch (op.kind())
            {
                case READ:
                    read(txn, op, op.key(), op.observed(), own);
                    break;
                case SCAN:
                    for (final String key : op.scanned().keySet())
                    {
                        if (!op.covers(key) || !versions.containsKey(key))
                        {
                            report(AnomalyType.INCOMPATIBLE_READ, op + " of " + txn + " returned key " + key
                                + " outside its range or the key space");
                        }
                    }
                    for (final String key : keys)
                    {
                        if (op.covers(key))
                        {
                            read(txn, op, key, op.scanned().get(key), own);
                        }
                    }
                    break;
                case APPEND:
                    final List<Long> appended = new ArrayList<>(op.observed());
                    appended.add(op.element());
                    own.put(op.key(), appended);
                    break;
                default:
                    own.put(op.key(), null);
            }
        }
    }

    private void read(final TxnRecord txn, final Op op, final String key, final List<Long> seen,
        final Map<String, List<Long>> own)
    {
        if (own.containsKey(key))
        {
            final List<Long> expected = own.get(key);
            if (expected == null ? seen != null : !expected.equals(seen))
            {
                report(AnomalyType.INTERNAL, txn + " read " + seen + " for " + key + " after writing "
                    + expected + " itself");
            }
            return;
        }
        final KeyVersions kv = versions.get(key);
        if (seen == null)
        {
            readAbsent(txn, op, kv);
        }
        else
        {
            readList(txn, op, kv, seen);
        }
    }

    private void readList(final TxnRecord txn, final Op op, final KeyVersions kv, final List<Long> seen)
    {
        if (!kv.isPrefix(seen) || seen.isEmpty() || seen.get(seen.size() - 1) < 0)
        {
            for (final long element : seen)
            {
                final TxnRecord writer = writers.get(element);
                if (writer != null && !writer.isOk())
                {
                    report(AnomalyType.G1A, txn + " read " + seen + " for " + kv.key() + ", which holds element "
                        + element + " of failed " + writer);
                    return;
                }
            }
            report(AnomalyType.INCOMPATIBLE_READ, txn + " read " + seen + " for " + kv.key()
                + ", which is no version of it; version order " + kv.events());
            return;
        }
        final int version = seen.size();
        final TxnRecord writer = kv.writer(version);
        if (!kv.installed(version))
        {
            report(AnomalyType.G1B, txn + " read " + seen + " for " + kv.key() + ", an intermediate version of "
                + writer);
            return;
        }
        if (writer.commitStartNanos() >= op.completeNanos())
        {
            report(AnomalyType.FUTURE_READ, txn + " read " + seen + " for " + kv.key() + " before its writer "
                + writer + " began to commit");
        }
        final int earliest = earliestVisible(txn, kv);
        if (version < earliest)
        {
            report(AnomalyType.STALE_READ, txn + " read version " + version + " of " + kv.key() + " (" + seen
                + ") but version " + earliest + " by " + kv.writer(earliest) + " committed before it began");
        }
        resolved++;
        addReadEdges(txn, op, kv, version, version);
    }

    private void readAbsent(final TxnRecord txn, final Op op, final KeyVersions kv)
    {
        final int earliest = earliestVisible(txn, kv);
        final int latest = latestVisible(op, kv);
        final List<Integer> candidates = new ArrayList<>();
        for (int j = earliest; j <= latest; j++)
        {
            if (kv.absentAt(j) && kv.installed(j))
            {
                candidates.add(j);
            }
        }
        if (candidates.isEmpty())
        {
            boolean older = false;
            for (int j = 0; j < earliest; j++)
            {
                older |= kv.absentAt(j) && kv.installed(j);
            }
            report(older ? AnomalyType.STALE_READ : AnomalyType.INCOMPATIBLE_READ, txn + " found " + kv.key()
                + " absent, but no absent version lies between version " + earliest + " (committed before it began)"
                + " and version " + latest + " (the newest that began to commit before the read returned); "
                + "version order " + kv.events());
            return;
        }
        final java.util.Set<Integer> states = new java.util.TreeSet<>();
        for (final int candidate : candidates)
        {
            states.add(kv.absentStart(candidate));
        }
        if (states.size() > 1)
        {
            ambiguous++;
            return;
        }
        resolved++;
        final int start = states.iterator().next();
        addReadEdges(txn, op, kv, start, kv.absentEnd(start));
    }

    /** @return the newest version whose writer's commit returned before {@code reader} was invoked */
    private static int earliestVisible(final TxnRecord reader, final KeyVersions kv)
    {
        int earliest = 0;
        for (int j = 1; j <= kv.size(); j++)
        {
            final TxnRecord writer = kv.writer(j);
            if (writer != null && writer != reader && writer.isOk() && kv.installed(j)
                && writer.completeNanos() < reader.invokeNanos())
            {
                earliest = j;
            }
        }
        return earliest;
    }

    /** @return the newest version whose writer began to commit before {@code op} returned */
    private static int latestVisible(final Op op, final KeyVersions kv)
    {
        int latest = 0;
        for (int j = 1; j <= kv.size(); j++)
        {
            final TxnRecord writer = kv.writer(j);
            if (writer != null && kv.installed(j) && writer.commitStartNanos() < op.completeNanos())
            {
                latest = j;
            }
        }
        return latest;
    }

    /** @return the writers of the versions after {@code next} that had begun to commit when {@code op} returned */
    private static String newerWriters(final KeyVersions kv, final int next, final Op op)
    {
        final StringBuilder text = new StringBuilder();
        for (int j = kv.nextInstalled(next); j > 0 && j <= latestVisible(op, kv); j = kv.nextInstalled(j))
        {
            text.append(text.length() == 0 ? " (later versions committing before the read returned:" : "")
                .append(" v").append(j).append(" by T").append(kv.writer(j).index());
        }
        return text.length() == 0 ? "" : text + ")";
    }

    /** Draws the edges of a read of the state installed versions {@code first} to {@code last} hold. */
    private void addReadEdges(final TxnRecord reader, final Op op, final KeyVersions kv, final int first,
        final int last)
    {
        if (!reader.isOk())
        {
            return;
        }
        final TxnRecord writer = kv.writer(first);
        if (writer != null && writer.isOk())
        {
            graph.add(writer, reader, DependencyGraph.WR, kv.key() + ": v" + first);
        }
        final int next = kv.nextInstalled(last);
        if (next > 0)
        {
            final TxnRecord overwriter = kv.writer(next);
            if (overwriter != null && overwriter.isOk())
            {
                graph.add(reader, overwriter, DependencyGraph.RW, kv.key() + ": read v" + first
                    + (last == first ? "" : "-v" + last) + ", next v" + next + newerWriters(kv, next, op));
            }
        }
    }
}
