package dev.tidemark;

import java.nio.file.Path;

/**
 * A file was written in a format version this build does not read (written by a newer Tidemark, or not a
 * Tidemark file at all). Nothing was changed; open it with a release that supports the version.
 */
public class UnsupportedFormatException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(final Path file, final String what, final int found, final int supported)
    {
        super(file + ": " + what + " format version " + found + " is not supported (this build reads version "
            + supported + "). The file was not changed; open it with a Tidemark release that reads version "
            + found + ".");
    }

    public UnsupportedFormatException(final String message)
    {
        super(message);
    }
}
