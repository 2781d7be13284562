package dev.tidemark.mvcc;

/**
 * A log record does not fit the page or record it applies to. Thrown by the record classes, which know neither
 * file nor offset; the store turns it into a {@link dev.tidemark.CorruptionException} naming both.
 */
final class RedoMismatchException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    RedoMismatchException(final String message)
    {
        super(message);
    }
}
