package dev.tidemark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for benchmarks: on the same disk as the project unless {@code tidemark.bench.dir} says otherwise. */
public final class BenchFiles
{
    private BenchFiles()
    {
    }

    public static Path newDirectory(final String prefix)
    {
        try
        {
            final String base = System.getProperty("tidemark.bench.dir");
            if (base == null)
            {
                return Files.createTempDirectory(prefix);
            }
            final Path root = Path.of(base);
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static void deleteRecursively(final Path directory)
    {
        if (directory == null || !Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.delete(path);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
