package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Torn-page protection on the simulated file system: pages are written at version 1 and closed cleanly, changed
 * to version 2, and the machine crashes at a random I/O operation of the flush (in every crash mode: torn at 512 B
 * or 4 KiB, garbage, reordered, prefix, dropped), and sometimes again during the repair at the next open. After the
 * reboot every page opens with a valid checksum and holds exactly its version 1 or its version 2, never garbage;
 * a flush that returned before the crash left every page at version 2.
 */
class DoublewriteCrashProperties
{
    private static final int PAGE_SIZE = 4096;
    private static final int TYPE = 50;
    private static final Path FILE = Path.of("/db/pages.tm");

    private static long word(final long pageId, final int version, final int index)
    {
        return pageId * 0x9E3779B97F4A7C15L + version * 1_000_000_007L + index;
    }

    private static void write(final PageHandle page, final int version)
    {
        for (int i = 0; i < page.body().capacity() / Long.BYTES; i++)
        {
            page.body().putLong(i * Long.BYTES, word(page.pageId(), version, i));
        }
    }

    /** @return the version the page holds, or -1 when it holds neither. */
    private static int version(final PageHandle page)
    {
        for (int version = 1; version <= 2; version++)
        {
            boolean match = true;
            for (int i = 0; match && i < page.body().capacity() / Long.BYTES; i++)
            {
                match = page.body().getLong(i * Long.BYTES) == word(page.pageId(), version, i);
            }
            if (match)
            {
                return version;
            }
        }
        return -1;
    }

    private static PageStoreOptions options(final SimulatedFileSystem fs, final int slots)
    {
        return PageStoreOptions.builder(FILE).fileIo(fs).pageSize(PAGE_SIZE).bufferPoolBytes(32L * PAGE_SIZE)
            .extentPages(16).doublewriteSlots(slots).pageWriterInterval(10, TimeUnit.SECONDS).build();
    }

    private static void closeAfterCrash(final PageStore store)
    {
        try
        {
            store.close();
        }
        catch (final RuntimeException expected)
        {
            assertThat(expected).hasStackTraceContaining("crash");
        }
    }

    @Property(tries = 300)
    void shouldOpenEveryPageAtItsOldOrItsNewVersionAfterACrashDuringAFlush(@ForAll final long seed,
        @ForAll final CrashMode mode) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int slots = 1 + random.nextInt(6);
        final int pages = 1 + random.nextInt(12);
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        fs.createDirectories(FILE.getParent());
        final List<Long> ids = new ArrayList<>();
        try (PageStore store = PageStore.open(options(fs, slots), new FakeLog()))
        {
            for (int i = 0; i < pages; i++)
            {
                try (PageHandle page = store.allocate(TYPE, 1))
                {
                    write(page, 1);
                    ids.add(page.pageId());
                }
            }
        }

        final PageStore store = PageStore.open(options(fs, slots), new FakeLog());
        for (final long id : ids)
        {
            try (PageHandle page = store.pin(id, LatchMode.EXCLUSIVE))
            {
                write(page, 2);
                page.markDirty(2);
            }
        }
        final int batches = (pages + slots - 1) / slots;
        final long ops = batches * (4L + slots);
        fs.faults().crashAtOperation(fs.faults().operationCount() + 1 + random.nextInt((int)ops + 2));
        boolean flushed = false;
        try
        {
            store.flushAll();
            flushed = true;
        }
        catch (final RuntimeException expected)
        {
            assertThat(expected).hasStackTraceContaining("crash");
        }
        closeAfterCrash(store);
        SimulatedFileSystem rebooted = fs.crash(mode, random.nextLong());
        if (random.nextBoolean())
        {
            rebooted.faults().crashAtOperation(1 + random.nextInt(12));
            try
            {
                PageStore.open(options(rebooted, slots), new FakeLog()).close();
            }
            catch (final RuntimeException expected)
            {
                assertThat(expected).hasStackTraceContaining("crash");
            }
            rebooted = rebooted.crash(mode, random.nextLong());
        }

        try (PageStore reopened = PageStore.open(options(rebooted, slots), new FakeLog()))
        {
            Statistics.label("pages restored from the doublewrite area").collect(reopened.repairedPagesAtOpen() > 0);
            for (final long id : ids)
            {
                try (PageHandle page = reopened.pin(id, LatchMode.SHARED))
                {
                    final int version = version(page);
                    assertThat(version).as("page %d after %s, seed %d:\n%s", id, mode, seed, rebooted.describe())
                        .isIn(1, 2);
                    if (flushed)
                    {
                        assertThat(version).as("page %d after a completed flush", id).isEqualTo(2);
                    }
                }
            }
        }
    }
}
