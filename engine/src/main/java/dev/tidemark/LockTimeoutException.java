package dev.tidemark;

/**
 * The transaction waited for a lock longer than its lock timeout ({@link TransactionOptions#lockTimeout}) and
 * was aborted. Retryable.
 */
public class LockTimeoutException extends TransactionAbortedException
{
    private static final long serialVersionUID = 1L;

    public LockTimeoutException(final long transactionId, final String message)
    {
        super(transactionId, message, true);
    }
}
