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
    TIDEMARK("Tidemark", "dev.tidemark", "tidemark-engine", TidemarkStore.DURABLE, TidemarkStore::open,
        "SNAPSHOT transactions; gets and scans in read-only transactions"),
    ROCKSDB("RocksDB", "org.rocksdb", "rocksdbjni", RocksDbStore.DURABLE, RocksDbStore::open,
        "no transaction object: a WriteBatch is the atomic unit; an iterator is an implicit snapshot; the default "
            + "block-based table without bloom filters; memtables are outside the block cache"),
    LMDB("LMDB", "org.lmdbjava", "lmdbjava", LmdbStore.DURABLE, LmdbStore::open,
        "one writer at a time and one fsync per commit: no group commit; no cache of its own (OS page cache)"),
    H2("H2 MVStore", "com.h2database", "h2-mvstore", H2Store.DURABLE, H2Store::open,
        "a plain MVMap, not the TransactionStore: writes are visible one entry at a time and a concurrent "
            + "writer's commit may store part of a batch first; scans see a snapshot"),
    JE("Berkeley DB JE", "com.sleepycat", "je", JeStore.DURABLE, JeStore::open,
        "scans use a read-committed cursor, not a snapshot; its cache is on the Java heap"),
    XODUS("Xodus", "org.jetbrains.xodus", "xodus-environment", XodusStore.DURABLE, XodusStore::open,
        "its cache is on the Java heap; without --add-opens it logs an InaccessibleObjectException and uses an "
            + "interruptible file channel"),
    MAPDB("MapDB", "org.mapdb", "mapdb", MapDbStore.DURABLE, MapDbStore::open,
        "commits are global to the store; the adapter runs commits under one fair lock against readers, which "
            + "MapDB 3.1.0's commit otherwise starves behind; scans see the live tree; no cache (OS page cache)");

    /** The cache every engine that has one is given: larger than the 1 M-entry data sets. */
    public static final long CACHE_BYTES = 512L << 20;

    private final String displayName;
    private final String groupId;
    private final String artifactId;
    private final String durableSetting;
    private final Function<Path, PeerStore> opener;
    private final String caveats;

    Peer(
        final String displayName,
        final String groupId,
        final String artifactId,
        final String durableSetting,
        final Function<Path, PeerStore> opener,
        final String caveats)
    {
        this.caveats = caveats;
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

    /** @return what the engine, as the comparison drives it, does differently from the others: beside its figures */
    public String caveats()
    {
        return caveats;
    }

    /** @return the Maven coordinates and version of the library measured */
    public String artifact()
    {
        return groupId + ":" + artifactId + ":" + version();
    }

    /** @return the version of the library measured, as the build that made the benchmarks jar declared it */
    public String version()
    {
        try (InputStream in = Peer.class.getResourceAsStream("/peer-versions.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties versions = new Properties();
            versions.load(in);
            return versions.getProperty(groupId + ":" + artifactId, "unknown");
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
