package dev.tidemark.bench.peers;

import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.peers.PeerData.KeyType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

/**
 * Durable one-key commits for every engine, and the disk's own floor, at the thread count given with {@code -t}
 * (the comparison runs 1, 4, 16 and 64):
 * <ul>
 *   <li>{@code commit}: write a new 100 B value under a random one of 1 M 16-byte keys ({@link PeerStore#put}),
 *       in a transaction of its own committed durably; the store starts empty.</li>
 *   <li>{@code appendForce}: append 128 B to a file and force it ({@code FileChannel.force(false)}), each thread
 *       for itself: what the disk gives without group commit, in the same run.</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar PeerCommitBenchmark -t 16 -p peer=tidemark,rocksdb}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 2)
public class PeerCommitBenchmark
{
    static final int KEYS = 1_000_000;

    /** An empty store of one engine, for the commit trial. */
    @State(Scope.Benchmark)
    public static class Store
    {
        @Param({"tidemark", "rocksdb", "lmdb", "h2", "je", "xodus", "mapdb"})
        public String peer;

        Path directory;
        PeerStore store;

        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchFiles.newDirectory("tidemark-peer-commit");
            store = Peer.byId(peer).open(directory);
        }

        @TearDown(Level.Trial)
        public void close()
        {
            try
            {
                store.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** A file that every thread appends to and forces. */
    @State(Scope.Benchmark)
    public static class Disk
    {
        Path directory;
        FileChannel channel;

        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchFiles.newDirectory("tidemark-peer-force");
            try
            {
                channel = FileChannel.open(directory.resolve("append.log"),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException
        {
            try
            {
                channel.close();
            }
            finally
            {
                BenchFiles.deleteRecursively(directory);
            }
        }
    }

    /** A thread's record buffer for the disk floor. */
    @State(Scope.Thread)
    public static class Record
    {
        final ByteBuffer bytes = ByteBuffer.allocateDirect(128);
    }

    @Benchmark
    public void commit(final Store store)
    {
        final int index = ThreadLocalRandom.current().nextInt(KEYS);
        store.store.put(KeyType.STRING16.key(index), PeerData.value(index, System.nanoTime()));
    }

    @Benchmark
    public void appendForce(final Disk disk, final Record record) throws IOException
    {
        record.bytes.clear();
        while (record.bytes.hasRemaining())
        {
            disk.channel.write(record.bytes);
        }
        disk.channel.force(false);
    }
}
