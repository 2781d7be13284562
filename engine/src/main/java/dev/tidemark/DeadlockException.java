package dev.tidemark;

/**
 * The transaction was chosen as the victim of a deadlock (the youngest transaction of the cycle) and aborted so
 * that the others can go on. Retryable.
 */
public class DeadlockException extends TransactionAbortedException
{
    private static final long serialVersionUID = 1L;

    public DeadlockException(final long transactionId, final String message)
    {
        super(transactionId, message, true);
    }
}
