package dev.tidemark.cli;

import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.util.List;

/** Read skew (G-single) and its simplest case, the non-repeatable read: T1 sees part of T2's transfer. */
final class ReadSkew extends Anomaly
{
    private int checking;
    private int savings;
    private int checkingAgain;

    ReadSkew(final Keyspace keyspace, final IsolationLevel level)
    {
        super(keyspace, "read-skew", level);
    }

    @Override
    String name()
    {
        return "read skew";
    }

    @Override
    List<String> story()
    {
        return List.of("checking = 50 and savings = 50. T1 reads both balances (and checking twice) while T2 moves",
            "10 from checking to savings. Any consistent view has a total of 100 and one checking balance.");
    }

    @Override
    void setUp(final Transaction txn)
    {
        write(txn, "checking", 50);
        write(txn, "savings", 50);
    }

    @Override
    List<Step> steps()
    {
        return List.of(
            t1("reads checking", txn -> Integer.toString(checking = read(txn, "checking"))),
            t2("moves 10 to savings", txn ->
            {
                write(txn, "checking", read(txn, "checking") - 10);
                return write(txn, "savings", read(txn, "savings") + 10);
            }),
            t2("commits", Anomaly::commit),
            t1("reads savings", txn -> Integer.toString(savings = read(txn, "savings"))),
            t1("reads checking again", txn -> Integer.toString(checkingAgain = read(txn, "checking"))),
            t1("commits", Anomaly::commit));
    }

    @Override
    Verdict verdict(final Transaction reader)
    {
        final boolean anomalous = checking + savings != 100 || checkingAgain != checking;
        return new Verdict(anomalous, "T1 saw checking " + (checkingAgain == checking ? checking + " twice"
            : checking + " then " + checkingAgain) + " and a total of " + (checking + savings));
    }
}
