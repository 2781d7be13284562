package dev.tidemark;

import java.nio.file.Path;

/**
 * The database directory is open in another process (or another {@link Database} in this one): Tidemark allows
 * one process per directory, enforced with an operating-system file lock. Close the other instance first.
 */
public class DatabaseLockedException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public DatabaseLockedException(final Path directory)
    {
        super("the database at " + directory + " is open in another process or instance; close it there first");
        this.directory = directory;
    }

    public Path directory()
    {
        return directory;
    }
}
