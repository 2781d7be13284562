package dev.tidemark;

/**
 * Root of every error Tidemark reports. Unchecked: callers catch the subclasses they can act on.
 *
 * <p>Messages say what happened, where (file and offset when there is one) and what to do about it.
 */
public class TidemarkException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public TidemarkException(final String message)
    {
        super(message);
    }

    public TidemarkException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
