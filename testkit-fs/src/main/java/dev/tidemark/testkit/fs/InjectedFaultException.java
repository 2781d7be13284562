package dev.tidemark.testkit.fs;

import java.io.IOException;

/**
 * An I/O error injected by a {@link FaultInjector} rule. The message names the operation kind, its index and
 * the seed of the file system, so that the run can be replayed.
 */
public final class InjectedFaultException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final OpKind kind;
    private final long index;

    InjectedFaultException(final OpKind kind, final long index, final String message)
    {
        super(message);
        this.kind = kind;
        this.index = index;
    }

    /** @return the kind of the operation that failed. */
    public OpKind kind()
    {
        return kind;
    }

    /** @return the 1-based index of the failed operation among the operations of its kind. */
    public long index()
    {
        return index;
    }
}
