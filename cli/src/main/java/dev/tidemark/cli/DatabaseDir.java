package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.TidemarkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The {@code --dir} option: the directory of the database a command works on. */
final class DatabaseDir
{
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The database directory.")
    Path dir;

    /**
     * Opens the database in the directory, creating it when the directory is absent or empty.
     *
     * @throws TidemarkException when the directory holds other files but no database
     */
    Database openOrCreate()
    {
        final Path directory = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(directory) && !Files.isRegularFile(directory.resolve("MASTER")) && !isEmpty(directory))
        {
            throw new TidemarkException(directory + " holds other files but no database; a new database needs a new "
                + "or empty directory: check --dir");
        }
        return Database.open(directory);
    }

    /** @throws TidemarkException when the directory holds no database */
    Database openExisting()
    {
        final Path directory = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(directory))
        {
            throw new TidemarkException("there is no database at " + directory + ": the directory does not exist; "
                + "check --dir (a database is created by 'tidemark put' or 'tidemark demo')");
        }
        if (!Files.isRegularFile(directory.resolve("MASTER")))
        {
            throw new TidemarkException("there is no database at " + directory + ": the directory has no MASTER "
                + "file; check --dir (a database is created by 'tidemark put' or 'tidemark demo')");
        }
        return Database.open(directory);
    }

    private static boolean isEmpty(final Path directory)
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.findAny().isEmpty();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory + ": " + ex.getMessage(), ex);
        }
    }
}
