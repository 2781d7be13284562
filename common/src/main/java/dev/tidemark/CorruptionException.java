package dev.tidemark;

import java.nio.file.Path;

/**
 * Stored bytes failed a check (checksum, magic, length, sequence) at a place where valid data must be.
 * Carries the file and the byte offset of the damage. Nothing is repaired or skipped silently: the operator
 * chooses an explicit recovery mode or restores from a backup.
 */
public class CorruptionException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptionException(final Path file, final long offset, final String problem)
    {
        super(problem + " in " + file + " at byte offset " + offset
            + ". The data before this point is intact; open with an explicit tolerant recovery mode"
            + " or restore from a backup.");
        this.file = file;
        this.offset = offset;
    }

    /** @return the damaged file. */
    public Path file()
    {
        return file;
    }

    /** @return the byte offset of the damage inside {@link #file()}. */
    public long offset()
    {
        return offset;
    }
}
