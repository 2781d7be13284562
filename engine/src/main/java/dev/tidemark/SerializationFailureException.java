package dev.tidemark;

/**
 * The transaction could not go on without breaking its isolation level: another transaction committed a newer
 * version of a key it writes (or locks), or, under {@link IsolationLevel#SERIALIZABLE}, its reads and writes
 * formed a dangerous cycle with concurrent transactions. Retryable.
 */
public class SerializationFailureException extends TransactionAbortedException
{
    private static final long serialVersionUID = 1L;

    public SerializationFailureException(final long transactionId, final String message)
    {
        super(transactionId, message, true);
    }
}
