package dev.tidemark.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.peers.PeerData.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The memory column of the comparison, for one engine in a process of its own (run it with the same {@code -Xmx}
 * for every engine): loads {@code entries} db_bench entries (16-byte keys, 100 B values, random order, durable
 * batches, made as they are written so that the probe holds no copy of the data set), reads every key once in
 * random order, closes the store, then reports the process's peak resident set
 * ({@code VmHWM} of {@code /proc/self/status}: the JVM's own footprint, heap included, plus the engine's native
 * memory and mapped pages) and the disk the store takes ({@code du}: allocated blocks) and its files' sizes.
 *
 * <p>Arguments: {@code peer entries out.json}.
 */
public final class MemoryProbe
{
    private MemoryProbe()
    {
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        final Peer peer = Peer.byId(args[0]);
        final int entries = Integer.parseInt(args[1]);
        final Path out = Path.of(args[2]);
        final int[] order = PeerData.randomOrder(entries);
        final Path directory = BenchFiles.newDirectory("tidemark-memory-" + peer.id());
        try
        {
            try (PeerStore store = peer.open(directory))
            {
                PeerData.load(store, order, KeyType.STRING16::key, index -> PeerData.value(index, 0));
                for (final int index : order)
                {
                    if (store.get(KeyType.STRING16.key(index)) == null)
                    {
                        throw new IllegalStateException(peer.displayName() + " lost entry " + index);
                    }
                }
            }
            final Map<String, Object> report = new LinkedHashMap<>();
            report.put("peer", peer.id());
            report.put("entries", entries);
            report.put("peakRssBytes", peakRssBytes());
            report.put("diskAllocatedBytes", allocatedBytes(directory));
            report.put("diskFileBytes", fileBytes(directory));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
        }
        finally
        {
            BenchFiles.deleteRecursively(directory);
        }
    }

    static long peakRssBytes() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII))
        {
            if (line.startsWith("VmHWM:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmHWM line: peak RSS is Linux-only");
    }

    private static long allocatedBytes(final Path directory) throws IOException, InterruptedException
    {
        final Process du = new ProcessBuilder("du", "-s", "--block-size=1", directory.toString())
            .redirectErrorStream(true).start();
        final String output = new String(du.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!du.waitFor(60, TimeUnit.SECONDS) || du.exitValue() != 0)
        {
            throw new IllegalStateException("du failed: " + output);
        }
        return Long.parseLong(output.split("\\s+")[0]);
    }

    private static long fileBytes(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.filter(Files::isRegularFile).mapToLong(file ->
            {
                try
                {
                    return Files.size(file);
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).sum();
        }
    }
}
