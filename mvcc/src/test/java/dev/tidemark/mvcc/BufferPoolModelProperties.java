package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A 16-frame pool over 40 pages under random reads, changes (at increasing LSNs), checkpoints, frees,
 * allocations and clean reopens, checked against a {@code Map<pageId, bytes>} model. The log is a fake whose
 * durable LSN moves only when the pool asks; every page write is inspected, and none may carry a page LSN above
 * the durable LSN at the moment it is written (the WAL rule). Replay a failure with its printed seed.
 */
class BufferPoolModelProperties
{
    private static final int PAGE_SIZE = 4096;
    private static final int TYPE = 20;

    @Property(tries = 30)
    void shouldMatchTheModelAndNeverWriteAPageAheadOfTheLog(@ForAll final long seed,
        @ForAll @IntRange(min = 200, max = 1500) final int steps) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        final Path file = Path.of("/db/pages.tm");
        fs.createDirectories(file.getParent());
        final FakeLog log = new FakeLog();
        final WatchedFileIo io = new WatchedFileIo(fs, log, PAGE_SIZE);
        final PageStoreOptions options = PageStoreOptions.builder(file).fileIo(io).pageSize(PAGE_SIZE)
            .bufferPoolBytes(16L * PAGE_SIZE).extentPages(8).doublewriteSlots(1 + random.nextInt(8)).build();
        final Map<Long, byte[]> model = new HashMap<>();
        final List<Long> live = new ArrayList<>();
        long lsn = 0;
        PageStore store = PageStore.open(options, log);
        try
        {
            for (int i = 0; i < 40; i++)
            {
                try (PageHandle page = store.allocate(TYPE, ++lsn))
                {
                    model.put(page.pageId(), new byte[store.bodySize()]);
                    live.add(page.pageId());
                }
            }
            for (int step = 0; step < steps; step++)
            {
                final int action = random.nextInt(100);
                final long pageId = live.get(random.nextInt(live.size()));
                if (action < 45)
                {
                    try (PageHandle page = store.pin(pageId, LatchMode.SHARED))
                    {
                        final byte[] actual = new byte[store.bodySize()];
                        page.body().getBytes(0, actual);
                        assertThat(actual).as("page %d at step %d, seed %d", pageId, step, seed)
                            .isEqualTo(model.get(pageId));
                        assertThat(page.pageType()).isEqualTo(TYPE);
                    }
                }
                else if (action < 88)
                {
                    try (PageHandle page = store.pin(pageId, LatchMode.EXCLUSIVE))
                    {
                        final byte[] bytes = model.get(pageId);
                        final int at = random.nextInt(bytes.length - 16);
                        for (int j = 0; j < 16; j++)
                        {
                            bytes[at + j] = (byte)random.nextInt();
                        }
                        page.body().putBytes(at, bytes, at, 16);
                        page.markDirty(++lsn);
                        assertThat(store.dirtyPages()).containsKey(pageId);
                    }
                }
                else if (action < 92)
                {
                    store.flushUpTo(lsn - random.nextInt(20));
                }
                else if (action < 95)
                {
                    store.free(pageId, ++lsn);
                    live.remove(pageId);
                    model.remove(pageId);
                    try (PageHandle page = store.allocate(TYPE, ++lsn))
                    {
                        model.put(page.pageId(), new byte[store.bodySize()]);
                        live.add(page.pageId());
                    }
                }
                else if (action < 97)
                {
                    store.flushAll();
                    assertThat(store.dirtyPages()).isEmpty();
                }
                else
                {
                    store.close();
                    store = PageStore.open(options, log);
                }
                assertThat(io.walRuleViolations()).as("WAL rule, seed %d", seed).isZero();
            }
        }
        finally
        {
            store.close();
        }
        assertThat(io.walRuleViolations()).isZero();
        assertThat(io.pagesWritten()).isPositive();
        assertThat(fs.openHandleCount()).isZero();
    }
}
