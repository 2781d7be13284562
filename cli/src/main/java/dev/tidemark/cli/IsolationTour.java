package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionAbortedException;
import dev.tidemark.TransactionOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Plays each {@link Anomaly} at each isolation level and prints what happened side by side: one row per step,
 * one column per level, then a verdict per level and, at the end, a summary of what each level allows.
 *
 * <p>Everything runs on the calling thread: T1 and T2 are open at once and take turns, one step at a time. No
 * schedule makes a transaction wait for a lock held by the other (which on one thread could only end in a lock
 * timeout); as a safety net the examples' transactions give up on a lock after one second.
 */
final class IsolationTour
{
    static final String KEYSPACE = "isolation";
    private static final IsolationLevel[] LEVELS = IsolationLevel.values();
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
    private static final String STEP_COLUMN = "  %-30s";
    private static final String LEVEL_COLUMN = "%-16s";

    private final Database db;
    private final Keyspace keyspace;
    private final PrintWriter out;
    private final Map<String, List<Boolean>> summary = new LinkedHashMap<>();

    IsolationTour(final Database db, final PrintWriter out)
    {
        this.db = db;
        this.keyspace = db.keyspace(KEYSPACE);
        this.out = out;
    }

    /** Plays and prints one example at every level. */
    void show(final BiFunction<Keyspace, IsolationLevel, Anomaly> example)
    {
        final List<Anomaly> plays = new ArrayList<>();
        final List<Played> results = new ArrayList<>();
        for (final IsolationLevel level : LEVELS)
        {
            final Anomaly anomaly = example.apply(keyspace, level);
            plays.add(anomaly);
            results.add(play(anomaly, level));
        }
        final Anomaly first = plays.get(0);
        out.println();
        out.println("-- " + capitalized(first.name()) + " " + "-".repeat(Math.max(3, 76 - first.name().length())));
        first.story().forEach(line -> out.println("  " + line));
        out.println();
        row("step", levelNames());
        final List<Anomaly.Step> steps = first.steps();
        for (int s = 0; s < steps.size(); s++)
        {
            final List<String> cells = new ArrayList<>();
            for (final Played played : results)
            {
                cells.add(played.cells().get(s));
            }
            row("T" + steps.get(s).transaction() + "  " + steps.get(s).label(), cells);
        }
        out.println();
        final List<Boolean> anomalous = new ArrayList<>();
        for (int i = 0; i < LEVELS.length; i++)
        {
            final Played played = results.get(i);
            anomalous.add(played.verdict().anomalous());
            final List<String> evidence = new ArrayList<>(played.aborts());
            evidence.add(played.verdict().detail());
            out.printf(Locale.ROOT, "  %-15s %s %s: %s%n", LEVELS[i],
                played.verdict().anomalous() ? "allows  " : "prevents", first.name(), String.join("; ", evidence));
        }
        summary.put(first.name(), anomalous);
        out.flush();
    }

    /** Prints which level allowed which of the anomalies shown so far. */
    void printSummary()
    {
        out.println();
        out.println("-- What each level allows " + "-".repeat(54));
        row("anomaly", levelNames());
        summary.forEach((name, anomalous) ->
        {
            final List<String> cells = new ArrayList<>();
            anomalous.forEach(allowed -> cells.add(allowed ? "allowed" : "prevented"));
            row(name, cells);
        });
        out.flush();
    }

    private Played play(final Anomaly anomaly, final IsolationLevel level)
    {
        db.inTransaction(IsolationLevel.SNAPSHOT, txn ->
        {
            anomaly.setUp(txn);
            return null;
        });
        final TransactionOptions options = TransactionOptions.builder().isolation(level).lockTimeout(LOCK_TIMEOUT)
            .build();
        final List<String> cells = new ArrayList<>();
        final List<String> aborts = new ArrayList<>();
        try (Transaction t1 = db.begin(options); Transaction t2 = db.begin(options))
        {
            for (final Anomaly.Step step : anomaly.steps())
            {
                final Transaction txn = step.transaction() == 1 ? t1 : t2;
                if (!txn.isActive())
                {
                    cells.add("-");
                    continue;
                }
                try
                {
                    cells.add(step.action().apply(txn));
                }
                catch (final TransactionAbortedException ex)
                {
                    cells.add("ABORTED");
                    aborts.add("T" + step.transaction() + " aborted: " + ex.getClass().getSimpleName());
                }
            }
        }
        final Anomaly.Verdict verdict = db.inTransaction(IsolationLevel.SNAPSHOT, anomaly::verdict);
        return new Played(cells, aborts, verdict);
    }

    private void row(final String first, final List<String> cells)
    {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, STEP_COLUMN, first));
        for (final String cell : cells)
        {
            line.append(String.format(Locale.ROOT, LEVEL_COLUMN, cell));
        }
        out.println(line.toString().stripTrailing());
    }

    private static List<String> levelNames()
    {
        final List<String> names = new ArrayList<>();
        for (final IsolationLevel level : LEVELS)
        {
            names.add(level.name());
        }
        return names;
    }

    private static String capitalized(final String text)
    {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The outcome of one example at one level. */
    private record Played(List<String> cells, List<String> aborts, Anomaly.Verdict verdict)
    {
    }
}
