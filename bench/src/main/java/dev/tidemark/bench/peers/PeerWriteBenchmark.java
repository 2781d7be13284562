package dev.tidemark.bench.peers;

import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.peers.PeerData.KeyType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * db_bench's {@code fillseq} and {@code fillrandom} for every engine: one operation loads {@code entries} entries
 * (keys of {@code keyType}, 100 B values) into an empty store, in transactions of {@value PeerData#BATCH} entries,
 * each committed durably ({@link PeerStore#writeBatch}). {@code writeSequential} writes in key order,
 * {@code writeRandom} in a fixed random order. The score is seconds per load (entries/s = entries / score); the
 * store is opened before and closed after the timed load. A random-order load becomes the read benchmarks' store
 * when they have none yet ({@link PeerFixtures#adopt}). Run:
 * {@code java -jar bench/target/benchmarks.jar PeerWriteBenchmark -p peer=tidemark,rocksdb}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class PeerWriteBenchmark
{
    @Param({"tidemark", "rocksdb", "lmdb", "h2", "je", "xodus", "mapdb"})
    public String peer;

    @Param({"int4", "string16"})
    public String keyType;

    @Param("1000000")
    public int entries;

    private byte[][] keys;
    private byte[][] values;
    private int[] sequential;
    private int[] random;
    private Path directory;
    private PeerStore store;

    @Setup(Level.Trial)
    public void generate()
    {
        keys = PeerData.keys(KeyType.byId(keyType), entries);
        values = PeerData.values(entries);
        sequential = PeerData.sequentialOrder(entries);
        random = PeerData.randomOrder(entries);
    }

    @Setup(Level.Iteration)
    public void open()
    {
        directory = BenchFiles.newDirectory("tidemark-peer-write");
        store = Peer.byId(peer).open(directory);
    }

    @TearDown(Level.Iteration)
    public void close(final BenchmarkParams params)
    {
        boolean kept = false;
        try
        {
            store.close();
            kept = params.getBenchmark().endsWith(".writeRandom")
                && PeerFixtures.adopt(Peer.byId(peer), KeyType.byId(keyType), entries, directory);
        }
        finally
        {
            if (!kept)
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    @Benchmark
    public void writeSequential()
    {
        PeerData.load(store, keys, values, sequential);
    }

    @Benchmark
    public void writeRandom()
    {
        PeerData.load(store, keys, values, random);
    }
}
