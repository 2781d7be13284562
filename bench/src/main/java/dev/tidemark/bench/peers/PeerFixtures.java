package dev.tidemark.bench.peers;

import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.peers.PeerData.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loaded stores kept between benchmark forks: the read benchmarks of one engine and key type share one store,
 * loaded once (in random order, batched) and never written to again, instead of loading 1 M entries per trial.
 * They live under {@code tidemark.bench.fixtures} (default: {@code tidemark-peer-fixtures} in the temporary
 * directory); a fixture counts only once the marker written after a complete load and close is there.
 */
public final class PeerFixtures
{
    public static final String PROPERTY = "tidemark.bench.fixtures";
    private static final String MARKER = "loaded.complete";

    private PeerFixtures()
    {
    }

    /** @return the root directory of the fixtures */
    public static Path root()
    {
        final String configured = System.getProperty(PROPERTY);
        return configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("java.io.tmpdir"), "tidemark-peer-fixtures");
    }

    private static Path fixture(final Peer peer, final KeyType keyType, final int entries)
    {
        return root().resolve(peer.id() + "-" + keyType.id() + "-" + entries);
    }

    /**
     * Keeps {@code store}, a closed store that a random-order load of {@code entries} entries just filled exactly as
     * {@link #loaded} would, as the fixture, when there is none yet and fixtures are asked for
     * ({@link #PROPERTY} set): the write benchmark's last load saves the read benchmarks one.
     *
     * @return whether the store was kept (moved away); when false the caller still owns it
     */
    public static boolean adopt(final Peer peer, final KeyType keyType, final int entries, final Path store)
    {
        if (System.getProperty(PROPERTY) == null)
        {
            return false;
        }
        final Path fixture = fixture(peer, keyType, entries);
        if (Files.exists(fixture.resolve(MARKER)))
        {
            return false;
        }
        try
        {
            BenchFiles.deleteRecursively(fixture);
            Files.createDirectories(fixture);
            Files.move(store, fixture.resolve("store"));
            Files.createFile(fixture.resolve(MARKER));
            return true;
        }
        catch (final IOException ex)
        {
            // a different file system, say: the read benchmarks will load their own
            BenchFiles.deleteRecursively(fixture);
            return false;
        }
    }

    /** @return the directory of a complete store of {@code entries} entries, loading it first when needed */
    public static Path loaded(final Peer peer, final KeyType keyType, final int entries)
    {
        final Path fixture = fixture(peer, keyType, entries);
        final Path directory = fixture.resolve("store");
        if (Files.exists(fixture.resolve(MARKER)))
        {
            return directory;
        }
        try
        {
            BenchFiles.deleteRecursively(fixture);
            Files.createDirectories(directory);
            try (PeerStore store = peer.open(directory))
            {
                PeerData.load(store, PeerData.keys(keyType, entries), PeerData.values(entries),
                    PeerData.randomOrder(entries));
            }
            Files.createFile(fixture.resolve(MARKER));
            return directory;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
