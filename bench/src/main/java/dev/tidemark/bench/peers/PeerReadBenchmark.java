package dev.tidemark.bench.peers;

import dev.tidemark.bench.peers.PeerData.KeyType;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * db_bench's read set for every engine, on a store of {@code entries} entries loaded once per engine and key type
 * ({@link PeerFixtures}) and reopened for each trial, its data in the OS page cache:
 * <ul>
 *   <li>{@code readKeySequential}: get the next key in key order (wrapping), one read transaction per get;</li>
 *   <li>{@code readKeyRandom}: get a uniformly random existing key;</li>
 *   <li>{@code readSeq}: one operation reads every entry in ascending order in one read transaction
 *       (entries/s = ops/s &times; entries);</li>
 *   <li>{@code readReverse}: the same in descending order.</li>
 * </ul>
 * A get that finds nothing, or a scan that visits a different number of entries, fails the run. Run:
 * {@code java -jar bench/target/benchmarks.jar PeerReadBenchmark -p peer=tidemark,lmdb -p keyType=int4}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class PeerReadBenchmark
{
    @Param({"tidemark", "rocksdb", "lmdb", "h2", "je", "xodus", "mapdb"})
    public String peer;

    @Param({"int4", "string16"})
    public String keyType;

    @Param("1000000")
    public int entries;

    private byte[][] keys;
    private PeerStore store;

    /** A thread's position for the sequential gets. */
    @State(Scope.Thread)
    public static class Position
    {
        int next;
    }

    @Setup(Level.Trial)
    public void open()
    {
        final KeyType type = KeyType.byId(keyType);
        keys = PeerData.keys(type, entries);
        store = Peer.byId(peer).open(PeerFixtures.loaded(Peer.byId(peer), type, entries));
    }

    @TearDown(Level.Trial)
    public void close()
    {
        store.close();
    }

    @Benchmark
    public byte[] readKeySequential(final Position position)
    {
        final int index = position.next;
        position.next = index + 1 == entries ? 0 : index + 1;
        return found(store.get(keys[index]), index);
    }

    @Benchmark
    public byte[] readKeyRandom()
    {
        final int index = ThreadLocalRandom.current().nextInt(entries);
        return found(store.get(keys[index]), index);
    }

    @Benchmark
    public long readSeq(final Blackhole blackhole)
    {
        return counted(store.scan(null, Long.MAX_VALUE, (key, value) -> blackhole.consume(value[0])));
    }

    @Benchmark
    public long readReverse(final Blackhole blackhole)
    {
        return counted(store.scanDescending(Long.MAX_VALUE, (key, value) -> blackhole.consume(value[0])));
    }

    private byte[] found(final byte[] value, final int index)
    {
        if (value == null)
        {
            throw new IllegalStateException(peer + " lost entry " + index);
        }
        return value;
    }

    private long counted(final long visited)
    {
        if (visited != entries)
        {
            throw new IllegalStateException(peer + " scanned " + visited + " entries of " + entries);
        }
        return visited;
    }
}
