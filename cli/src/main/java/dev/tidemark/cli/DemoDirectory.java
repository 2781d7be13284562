package dev.tidemark.cli;

import dev.tidemark.TidemarkException;
import dev.tidemark.io.NioFileIo;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo's data directory, emptied before each run. Only an empty directory or one holding a Tidemark database
 * that no process has open is ever deleted.
 */
final class DemoDirectory
{
    private DemoDirectory()
    {
    }

    /** @return the absolute directory, now absent (the database creates it) */
    static Path recreate(final Path dir)
    {
        final Path directory = dir.toAbsolutePath().normalize();
        try
        {
            if (!Files.exists(directory))
            {
                return directory;
            }
            if (!Files.isDirectory(directory))
            {
                throw new TidemarkException(directory + " is a file; the demo needs a directory it may delete and "
                    + "create again: choose another --dir");
            }
            final List<Path> entries;
            try (Stream<Path> list = Files.list(directory))
            {
                entries = list.collect(Collectors.toList());
            }
            if (!entries.isEmpty() && !Files.exists(directory.resolve("MASTER"))
                && !Files.exists(directory.resolve("LOCK")))
            {
                throw new TidemarkException(directory + " is not empty and holds no Tidemark database; the demo "
                    + "deletes its directory on every run, so choose an empty or new --dir");
            }
            requireUnused(directory);
            deleteTree(directory);
            return directory;
        }
        catch (final IOException ex)
        {
            throw new TidemarkException("cannot recreate the demo directory " + directory + ": " + ex, ex);
        }
    }

    private static void requireUnused(final Path directory) throws IOException
    {
        if (!Files.exists(directory.resolve("LOCK")))
        {
            return;
        }
        try (Closeable lock = new NioFileIo().tryLock(directory.resolve("LOCK")))
        {
            if (lock == null)
            {
                throw new TidemarkException("the database at " + directory + " is open in another process; close "
                    + "it there, or give the demo another --dir");
            }
        }
    }

    private static void deleteTree(final Path directory) throws IOException
    {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory))
        {
            paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (final Path path : paths)
        {
            Files.delete(path);
        }
    }
}
