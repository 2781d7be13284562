package dev.tidemark.bench.mvcc;

import dev.tidemark.bench.BenchFiles;
import dev.tidemark.mvcc.LatchMode;
import dev.tidemark.mvcc.LogForce;
import dev.tidemark.mvcc.PageHandle;
import dev.tidemark.mvcc.PageStore;
import dev.tidemark.mvcc.PageStoreOptions;
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

/**
 * Buffer pool read path: pin (SHARED) + read a long from the body + unpin, on 2048 pages of 8 KiB (16 MiB of
 * data) with the pool larger than the data ({@code LARGER}: 32 MiB) and at a tenth of it ({@code TENTH}: 1.6 MiB,
 * 204 frames). {@code hotPage} pins one page over and over (always a hit); {@code uniformPage} pins pages drawn
 * uniformly (with {@code TENTH}, nine misses in ten, each a positional read from the OS page cache plus a checksum
 * check). The log is always durable: nothing is written on this path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BufferPoolBenchmark
{
    private static final int PAGE_SIZE = 8192;
    private static final int PAGES = 2048;
    private static final int TYPE = 16;

    @Param({"LARGER", "TENTH"})
    public String pool;

    private Path directory;
    private PageStore store;
    private long firstPage;
    private long hotPage;

    @State(Scope.Thread)
    public static class Cursor
    {
        long state = 0x9E3779B97F4A7C15L;

        int next(final int bound)
        {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            return (int)((state >>> 1) % bound);
        }
    }

    private static final LogForce ALWAYS_DURABLE = new LogForce()
    {
        @Override
        public long durableLsn()
        {
            return Long.MAX_VALUE;
        }

        @Override
        public void awaitDurable(final long lsn)
        {
            // durable already: durableLsn() is the largest LSN, so the pool never calls this
        }
    };

    @Setup(Level.Trial)
    public void setUp()
    {
        directory = BenchFiles.newDirectory("tidemark-bufferpool");
        final long poolBytes = "LARGER".equals(pool) ? 2L * PAGES * PAGE_SIZE : (long)PAGES * PAGE_SIZE / 10;
        final PageStoreOptions options = PageStoreOptions.builder(directory.resolve("pages.tm"))
            .pageSize(PAGE_SIZE).extentPages(256).bufferPoolBytes(poolBytes).build();
        try (PageStore loader = PageStore.open(options, ALWAYS_DURABLE))
        {
            for (int i = 0; i < PAGES; i++)
            {
                try (PageHandle page = loader.allocate(TYPE, i + 1))
                {
                    page.body().putLong(0, page.pageId());
                }
            }
        }
        store = PageStore.open(options, ALWAYS_DURABLE);
        firstPage = store.firstDataPage();
        hotPage = firstPage + PAGES / 2;
        for (int i = 0; i < PAGES; i++)
        {
            try (PageHandle page = store.pin(firstPage + i, LatchMode.SHARED))
            {
                page.body().getLong(0);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        store.close();
        BenchFiles.deleteRecursively(directory);
    }

    @Benchmark
    public long hotPage()
    {
        try (PageHandle page = store.pin(hotPage, LatchMode.SHARED))
        {
            return page.body().getLong(0);
        }
    }

    @Benchmark
    public long uniformPage(final Cursor cursor)
    {
        try (PageHandle page = store.pin(firstPage + cursor.next(PAGES), LatchMode.SHARED))
        {
            return page.body().getLong(0);
        }
    }
}
