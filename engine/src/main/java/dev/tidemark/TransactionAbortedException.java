package dev.tidemark;

/**
 * A transaction was aborted by the engine: its writes are gone, its locks released, and every further call on it
 * fails with {@link IllegalStateException}. When {@link #isRetryable()}, running the same work again in a new
 * transaction may well succeed ({@link Database#inTransaction} does that).
 */
public class TransactionAbortedException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    private final long transactionId;
    private final boolean retryable;

    public TransactionAbortedException(final long transactionId, final String message, final boolean retryable)
    {
        super(message);
        this.transactionId = transactionId;
        this.retryable = retryable;
    }

    /** @return the id of the aborted transaction */
    public long transactionId()
    {
        return transactionId;
    }

    /** @return whether retrying the work in a new transaction is expected to succeed */
    public boolean isRetryable()
    {
        return retryable;
    }
}
