package dev.tidemark.io;

import java.io.IOException;

/** An {@link IOException} raised because the device or quota has no room left (ENOSPC). */
public final class NoSpaceException extends IOException
{
    private static final long serialVersionUID = 1L;

    public NoSpaceException(final String message)
    {
        super(message);
    }

    public NoSpaceException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
