package dev.tidemark;

/**
 * The disk (or the configured quota) had no room for an operation that needed space. Nothing already durable
 * is harmed and the operation had no effect; free space and retry.
 */
public class StorageFullException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    public StorageFullException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
