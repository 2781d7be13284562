package dev.tidemark.cli;

import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.util.List;

/**
 * Write skew (G2): two doctors on call each check that someone else is on call, then go off call. Each
 * transaction alone keeps at least one doctor on call; both together leave nobody.
 */
final class WriteSkew extends Anomaly
{
    private static final int ON_CALL = 1;
    private static final int OFF_CALL = 0;

    WriteSkew(final Keyspace keyspace, final IsolationLevel level)
    {
        super(keyspace, "write-skew", level);
    }

    @Override
    String name()
    {
        return "write skew";
    }

    @Override
    List<String> story()
    {
        return List.of("Alice and Bob are on call; at least one must stay on. T1 (Alice) and T2 (Bob) each count",
            "the doctors on call with a range scan and, seeing 2, go off call.");
    }

    @Override
    void setUp(final Transaction txn)
    {
        write(txn, "alice", ON_CALL);
        write(txn, "bob", ON_CALL);
    }

    @Override
    List<Step> steps()
    {
        return List.of(
            t1("counts doctors on call", txn -> Integer.toString(count(txn, ON_CALL))),
            t2("counts doctors on call", txn -> Integer.toString(count(txn, ON_CALL))),
            t1("takes Alice off call", txn -> write(txn, "alice", OFF_CALL)),
            t1("commits", Anomaly::commit),
            t2("takes Bob off call", txn -> write(txn, "bob", OFF_CALL)),
            t2("commits", Anomaly::commit));
    }

    @Override
    Verdict verdict(final Transaction reader)
    {
        final int onCall = count(reader, ON_CALL);
        if (onCall == 0)
        {
            return new Verdict(true, "nobody is on call");
        }
        return new Verdict(false, (read(reader, "bob") == ON_CALL ? "Bob" : "Alice") + " is still on call");
    }
}
