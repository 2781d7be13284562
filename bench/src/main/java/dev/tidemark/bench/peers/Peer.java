package dev.tidemark.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;

/**
 * The engines of the peer comparison, Tidemark first, each with the setting that makes its commits durable. Every
 * engine gets the same cache budget ({@link #CACHE_BYTES}) where it has a cache of its own, and compression is off
 * in every engine that has it.
 */
public enum Peer
{
    TIDEMARK("Tidemark", "dev.tidemark", "tidemark-engine", TidemarkStore.DURABLE, TidemarkStore::open),
    ROCKSDB("RocksDB", "org.rocksdb", "rocksdbjni", RocksDbStore.DURABLE, RocksDbStore::open),
    LMDB("LMDB", "org.lmdbjava", "lmdbjava", LmdbStore.DURABLE, LmdbStore::open),
    H2("H2 MVStore", "com.h2database", "h2-mvstore", H2Store.DURABLE, H2Store::open),
    JE("Berkeley DB JE", "com.sleepycat", "je", JeStore.DURABLE, JeStore::open),
    XODUS("Xodus", "org.jetbrains.xodus", "xodus-environment", XodusStore.DURABLE, XodusStore::open),
    MAPDB("MapDB", "org.mapdb", "mapdb", MapDbStore.DURABLE, MapDbStore::open);

    /** The cache every engine that has one is given: larger than the 1 M-entry data sets. */
    public static final long CACHE_BYTES = 512L << 20;

    private final String displayName;
    private final String groupId;
    private final String artifactId;
    private final String durableSetting;
    private final Function<Path, PeerStore> opener;

    Peer(
        final String displayName,
        final String groupId,
        final String artifactId,
        final String durableSetting,
        final Function<Path, PeerStore> opener)
    {
        this.displayName = displayName;
        this.groupId = groupId;
        this.artifactId = artifactId;
        this.durableSetting = durableSetting;
        this.opener = opener;
    }

    /** @return the name used in parameters and file names: the constant in lower case */
    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public String displayName()
    {
        return displayName;
    }

    /** @return what makes this engine's commits durable, as named in the results */
    public String durableSetting()
    {
        return durableSetting;
    }

    /** @return the Maven coordinates and version of the library measured */
    public String artifact()
    {
        return groupId + ":" + artifactId + ":" + version();
    }

    /** @return the version of the library on the class path, from the pom.properties Maven packs into its jar */
    public String version()
    {
        final String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Peer.class.getResourceAsStream(resource))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Opens (creating when empty) this engine's store in {@code directory}, which must exist. */
    public PeerStore open(final Path directory)
    {
        return opener.apply(directory);
    }

    /** @return the peer whose {@link #id()} is {@code id} */
    public static Peer byId(final String id)
    {
        for (final Peer peer : values())
        {
            if (peer.id().equals(id))
            {
                return peer;
            }
        }
        throw new IllegalArgumentException("no peer named " + id);
    }
}
