package dev.tidemark.cli;

import dev.tidemark.Cursor;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A two-transaction example of an isolation anomaly: a schedule of steps of T1 and T2, played by
 * {@link IsolationTour} once per isolation level. Each instance plays one level, on rows of its own (keys
 * {@code example/LEVEL/row} of the tour's keyspace), and remembers what its transactions saw.
 */
abstract class Anomaly
{
    /** One step of the schedule: transaction 1 or 2 acts; the string is what the table shows for it. */
    record Step(int transaction, String label, Function<Transaction, String> action)
    {
    }

    /** What the example shows at one level: whether the anomaly happened, and the evidence. */
    record Verdict(boolean anomalous, String detail)
    {
    }

    private final Keyspace keyspace;
    private final String prefix;

    Anomaly(final Keyspace keyspace, final String example, final IsolationLevel level)
    {
        this.keyspace = keyspace;
        this.prefix = example + "/" + level + "/";
    }

    /** @return the anomaly's name, lowercase: "write skew" */
    abstract String name();

    /** @return the starting state and what T1 and T2 do, in a line or two */
    abstract List<String> story();

    /** Writes the starting state. */
    abstract void setUp(Transaction txn);

    abstract List<Step> steps();

    /** @return what happened, judged from what the transactions saw and from the final state {@code reader} sees */
    abstract Verdict verdict(Transaction reader);

    static Step t1(final String label, final Function<Transaction, String> action)
    {
        return new Step(1, label, action);
    }

    static Step t2(final String label, final Function<Transaction, String> action)
    {
        return new Step(2, label, action);
    }

    static String commit(final Transaction txn)
    {
        txn.commit();
        return "committed";
    }

    final int read(final Transaction txn, final String row)
    {
        return SampleBank.number(txn.get(keyspace, key(row)));
    }

    final String write(final Transaction txn, final String row, final int value)
    {
        txn.put(keyspace, key(row), SampleBank.text(value));
        return "ok";
    }

    /** @return how many of this example's rows hold {@code value}, found by a range scan */
    final int count(final Transaction txn, final int value)
    {
        final byte[] from = prefix.getBytes(StandardCharsets.UTF_8);
        final byte[] to = from.clone();
        to[to.length - 1]++;
        int count = 0;
        try (Cursor cursor = txn.scan(keyspace, from, to))
        {
            while (cursor.next())
            {
                if (SampleBank.number(cursor.value()) == value)
                {
                    count++;
                }
            }
        }
        return count;
    }

    private byte[] key(final String row)
    {
        return (prefix + row).getBytes(StandardCharsets.UTF_8);
    }
}
