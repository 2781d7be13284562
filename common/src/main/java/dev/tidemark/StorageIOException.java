package dev.tidemark;

/**
 * An I/O operation failed for a reason other than a full disk (permissions, a device error, a closed file).
 * The message names the file and the operation.
 */
public class StorageIOException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    public StorageIOException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
