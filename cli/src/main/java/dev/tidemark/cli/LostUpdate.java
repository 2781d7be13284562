package dev.tidemark.cli;

import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.util.List;

/** Lost update (P4): two read-modify-write increments of one counter, and one of them vanishes. */
final class LostUpdate extends Anomaly
{
    private int seenByT1;
    private int seenByT2;
    private boolean t1Committed;
    private boolean t2Committed;

    LostUpdate(final Keyspace keyspace, final IsolationLevel level)
    {
        super(keyspace, "lost-update", level);
    }

    @Override
    String name()
    {
        return "lost update";
    }

    @Override
    List<String> story()
    {
        return List.of("counter = 0. T1 and T2 each read the counter and write back what they read plus 1.",
            "Two committed increments must leave 2.");
    }

    @Override
    void setUp(final Transaction txn)
    {
        write(txn, "counter", 0);
    }

    @Override
    List<Step> steps()
    {
        return List.of(
            t1("reads counter", txn -> Integer.toString(seenByT1 = read(txn, "counter"))),
            t2("reads counter", txn -> Integer.toString(seenByT2 = read(txn, "counter"))),
            t2("writes counter + 1", txn -> write(txn, "counter", seenByT2 + 1)),
            t2("commits", txn ->
            {
                final String result = commit(txn);
                t2Committed = true;
                return result;
            }),
            t1("writes counter + 1", txn -> write(txn, "counter", seenByT1 + 1)),
            t1("commits", txn ->
            {
                final String result = commit(txn);
                t1Committed = true;
                return result;
            }));
    }

    @Override
    Verdict verdict(final Transaction reader)
    {
        final int counter = read(reader, "counter");
        final boolean both = t1Committed && t2Committed;
        return new Verdict(both && counter != 2, "counter = " + counter + (both
            ? " after two committed increments" : "; no increment is lost: T1 may run again"));
    }
}
