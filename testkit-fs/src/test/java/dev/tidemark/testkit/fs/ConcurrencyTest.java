package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.createDurable;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.MappedRegion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class ConcurrencyTest
{
    private static final int WRITERS = 4;
    private static final int CHUNK = 256;
    private static final int ROUNDS = 200;
    private static final int SLICE = CHUNK * ROUNDS;
    private static final Path FILE = DIR.resolve("journal");

    @Test
    void shouldServeConcurrentMappedWritesRangeForcesAndExplicitWrites() throws Exception
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(0xC0C0L);
        createDurable(fs, FILE, new byte[(WRITERS + 1) * SLICE]);
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE);
            MappedRegion region = file.map(0, (WRITERS + 1) * SLICE))
        {
            for (int t = 0; t < WRITERS; t++)
            {
                final int base = t * SLICE;
                threads.add(new Thread(() -> run(failures, () ->
                {
                    for (int r = 0; r < ROUNDS; r++)
                    {
                        region.buffer().setMemory(base + r * CHUNK, CHUNK, (byte)(r + 1));
                        region.force(base + r * CHUNK, CHUNK);
                    }
                }), "sim-mapped-writer-" + t));
            }
            threads.add(new Thread(() -> run(failures, () ->
            {
                for (int r = 0; r < ROUNDS; r++)
                {
                    write(file, WRITERS * SLICE + (long)r * CHUNK, filled(CHUNK, r + 1));
                    if (r % 20 == 19)
                    {
                        file.force();
                    }
                }
            }), "sim-explicit-writer"));
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(30_000);
                assertThat(thread.isAlive()).as(thread.getName()).isFalse();
            }
        }
        assertThat(failures).isEmpty();

        final byte[] expected = new byte[(WRITERS + 1) * SLICE];
        for (int slice = 0; slice <= WRITERS; slice++)
        {
            for (int r = 0; r < ROUNDS; r++)
            {
                final int from = slice * SLICE + r * CHUNK;
                Arrays.fill(expected, from, from + CHUNK, (byte)(r + 1));
            }
        }
        assertThat(fs.currentBytes(FILE)).isEqualTo(expected);
        assertThat(fs.durableBytes(FILE)).isEqualTo(expected);
    }

    private static void run(final Queue<Throwable> failures, final Work work)
    {
        try
        {
            work.run();
        }
        catch (final Throwable ex)
        {
            failures.add(ex);
        }
    }

    private interface Work
    {
        void run() throws Exception;
    }
}
