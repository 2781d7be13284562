package dev.tidemark.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One transaction attempt of a {@link History}: who ran it, when it was invoked, when its commit began and when
 * it completed, its outcome and its operations. A retry is a new record. Written by one thread; read by the
 * checker after that thread ended.
 */
public final class TxnRecord
{
    /** How an attempt ended. */
    public enum Outcome
    {
        PENDING,
        OK,
        FAIL
    }

    private final int index;
    private final int process;
    private final long invokeNanos;
    private final List<Op> ops = new ArrayList<>();
    private long commitStartNanos = Long.MAX_VALUE;
    private long completeNanos = Long.MAX_VALUE;
    private Outcome outcome = Outcome.PENDING;
    private String failure;

    TxnRecord(final int index, final int process, final long invokeNanos)
    {
        this.index = index;
        this.process = process;
        this.invokeNanos = invokeNanos;
    }

    /** Adds an operation (before it runs). @return op */
    public Op add(final Op op)
    {
        ops.add(op);
        return op;
    }

    public void commitStarted(final long nanos)
    {
        commitStartNanos = nanos;
    }

    public void ok(final long nanos)
    {
        outcome = Outcome.OK;
        completeNanos = nanos;
    }

    public void fail(final String reason, final long nanos)
    {
        outcome = Outcome.FAIL;
        failure = reason;
        completeNanos = nanos;
    }

    public int index()
    {
        return index;
    }

    public int process()
    {
        return process;
    }

    public long invokeNanos()
    {
        return invokeNanos;
    }

    public long commitStartNanos()
    {
        return commitStartNanos;
    }

    public long completeNanos()
    {
        return completeNanos;
    }

    public Outcome outcome()
    {
        return outcome;
    }

    public boolean isOk()
    {
        return outcome == Outcome.OK;
    }

    public String failure()
    {
        return failure;
    }

    public List<Op> ops()
    {
        return Collections.unmodifiableList(ops);
    }

    /** @return this transaction with its times in microseconds after {@code base}, each operation's end too */
    public String describe(final long base)
    {
        final StringBuilder text = new StringBuilder("T" + index + "(p" + process + ", " + outcome + ") began "
            + micros(invokeNanos, base) + ", commit " + micros(commitStartNanos, base) + ", ended "
            + micros(completeNanos, base) + (failure == null ? "" : " (" + failure + ")") + ":");
        for (final Op op : ops)
        {
            text.append(" ").append(op).append(" @").append(micros(op.completeNanos(), base)).append(';');
        }
        return text.toString();
    }

    static String micros(final long nanos, final long base)
    {
        return nanos == Long.MAX_VALUE ? "-" : ((nanos - base) / 1_000) + "us";
    }

    @Override
    public String toString()
    {
        return "T" + index + "(p" + process + ", " + outcome + (failure == null ? "" : ": " + failure) + ") " + ops;
    }
}
