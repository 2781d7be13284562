package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.FailStopException;
import dev.tidemark.testkit.fs.OpKind;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferPoolTest
{
    private static final int PAGE_SIZE = 4096;
    private static final int TYPE = 30;
    private static final Path FILE = Path.of("/db/pages.tm");

    private final FakeLog log = new FakeLog();
    private final SimulatedFileSystem fs = new SimulatedFileSystem(11);
    private final WatchedFileIo io = new WatchedFileIo(fs, log, PAGE_SIZE);

    private PageStoreOptions.Builder options(final int frames)
    {
        try
        {
            fs.createDirectories(FILE.getParent());
        }
        catch (final java.io.IOException ex)
        {
            throw new AssertionError(ex);
        }
        return PageStoreOptions.builder(FILE).fileIo(io).pageSize(PAGE_SIZE).bufferPoolBytes((long)frames * PAGE_SIZE)
            .extentPages(64).doublewriteSlots(8);
    }

    private List<Long> createPages(final PageStoreOptions options, final int count)
    {
        final List<Long> ids = new ArrayList<>();
        try (PageStore store = PageStore.open(options, log))
        {
            for (int i = 0; i < count; i++)
            {
                try (PageHandle page = store.allocate(TYPE, i + 1))
                {
                    page.body().putLong(0, page.pageId());
                    ids.add(page.pageId());
                }
            }
        }
        return ids;
    }

    private static void touch(final PageStore store, final long pageId)
    {
        try (PageHandle page = store.pin(pageId, LatchMode.SHARED))
        {
            assertThat(page.body().getLong(0)).isEqualTo(pageId);
        }
    }

    @Test
    void shouldKeepTheHotSetThroughAFullScan()
    {
        final PageStoreOptions options = options(16).build();
        final List<Long> ids = createPages(options, 300);
        final List<Long> hot = ids.subList(0, 8);
        try (PageStore store = PageStore.open(options, log))
        {
            for (int round = 0; round < 3; round++)
            {
                hot.forEach(id -> touch(store, id));
            }
            for (final long id : ids.subList(8, ids.size()))
            {
                touch(store, id);
            }
            final long readsBefore = io.reads();
            hot.forEach(id -> touch(store, id));
            assertThat(io.reads()).as("hot pages read again after a scan").isEqualTo(readsBefore);
            hot.forEach(id -> assertThat(store.pool().isResident(id)).isTrue());
        }
    }

    @Test
    void shouldFailClearlyWhenEveryFrameIsPinned()
    {
        final PageStoreOptions options = options(8).build();
        final List<Long> ids = createPages(options, 9);
        try (PageStore store = PageStore.open(options, log))
        {
            final List<PageHandle> pinned = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                pinned.add(store.pin(ids.get(i), LatchMode.SHARED));
            }
            assertThatThrownBy(() -> store.pin(ids.get(8), LatchMode.SHARED))
                .isInstanceOf(BufferPoolExhaustedException.class).hasMessageContaining("all 8 frames");
            pinned.forEach(PageHandle::close);
            touch(store, ids.get(8));
        }
    }

    @Test
    void shouldWriteNoPageBeforeTheLogIsDurableUpToItsLsn()
    {
        final PageStoreOptions options = options(8).build();
        try (PageStore store = PageStore.open(options, log))
        {
            for (int i = 0; i < 100; i++)
            {
                try (PageHandle page = store.allocate(TYPE, 1000 + i))
                {
                    page.body().putLong(0, page.pageId());
                }
            }
            assertThat(log.durableLsn()).isGreaterThanOrEqualTo(1000);
            store.flushUpTo(1099);
            assertThat(log.durableLsn()).isEqualTo(1099);
        }
        assertThat(io.pagesWritten()).isGreaterThan(100);
        assertThat(io.walRuleViolations()).isZero();
    }

    @Test
    void shouldTrackRecLsnOfTheFirstChangeSinceTheLastWrite()
    {
        final PageStoreOptions options = options(16).build();
        final long pageId = createPages(options, 1).get(0);
        try (PageStore store = PageStore.open(options, log))
        {
            assertThat(store.dirtyPages()).isEmpty();
            for (int lsn = 50; lsn < 53; lsn++)
            {
                try (PageHandle page = store.pin(pageId, LatchMode.EXCLUSIVE))
                {
                    page.markDirty(lsn);
                }
            }
            assertThat(store.dirtyPages()).containsEntry(pageId, 50L).hasSize(1);
            store.flushUpTo(49);
            assertThat(store.dirtyPages()).containsEntry(pageId, 50L);
            store.flushUpTo(50);
            assertThat(store.dirtyPages()).isEmpty();
            try (PageHandle page = store.pin(pageId, LatchMode.EXCLUSIVE))
            {
                assertThatThrownBy(() -> page.markDirty(10)).isInstanceOf(IllegalArgumentException.class);
                page.markDirty(60);
            }
            assertThat(store.dirtyPages()).containsEntry(pageId, 60L);
            try (PageHandle page = store.pin(pageId, LatchMode.SHARED))
            {
                assertThatThrownBy(() -> page.markDirty(70)).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void shouldServeManyThreadsPinningAndLatchingTheSamePages() throws Exception
    {
        final PageStoreOptions options = options(16).build();
        final List<Long> ids = createPages(options, 48);
        final int threads = 4;
        final int increments = 3000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (PageStore store = PageStore.open(options, log))
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final SplittableRandom random = new SplittableRandom(t);
                final Thread worker = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        for (int i = 0; i < increments; i++)
                        {
                            final long id = ids.get(random.nextInt(ids.size()));
                            try (PageHandle page = store.pin(id, LatchMode.EXCLUSIVE))
                            {
                                final long count = page.body().getLong(8);
                                page.body().putLong(8, count + 1);
                                page.body().putLong(16, count + 1);
                                page.markDirty(page.pageLsn() + 1);
                            }
                            final long other = ids.get(random.nextInt(ids.size()));
                            try (PageHandle page = store.pin(other, LatchMode.SHARED))
                            {
                                assertThat(page.body().getLong(8)).isEqualTo(page.body().getLong(16));
                                assertThat(page.body().getLong(0)).isEqualTo(other);
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "pool-worker-" + t);
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            assertThat(failure.get()).isNull();
            long total = 0;
            for (final long id : ids)
            {
                try (PageHandle page = store.pin(id, LatchMode.SHARED))
                {
                    total += page.body().getLong(8);
                }
            }
            assertThat(total).isEqualTo((long)threads * increments);
        }
        assertThat(io.walRuleViolations()).isZero();
    }

    /**
     * Readers hitting pages on the lock-free path while other readers' misses evict them: a pin must never hand
     * out a frame that holds another page, and every pin must be given back (afterwards every page can still be
     * brought in, which needs every frame unpinned).
     */
    @Test
    void shouldNeverHandOutAFrameHoldingAnotherPageWhileEvicting() throws Exception
    {
        final PageStoreOptions options = options(12).build();
        final List<Long> ids = createPages(options, 64);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (PageStore store = PageStore.open(options, log))
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final SplittableRandom random = new SplittableRandom(100 + t);
                final boolean hot = t % 2 == 0;
                final Thread worker = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        for (int i = 0; i < 20_000; i++)
                        {
                            // hot readers stay on 6 pages (mostly hits); the others roam and evict
                            final long id = ids.get(random.nextInt(hot ? 6 : ids.size()));
                            try (PageHandle page = store.pin(id, LatchMode.SHARED))
                            {
                                assertThat(page.pageId()).isEqualTo(id);
                                assertThat(page.body().getLong(0)).isEqualTo(id);
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "pool-reader-" + t);
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            assertThat(failure.get()).isNull();
            for (final long id : ids)
            {
                touch(store, id);
            }
        }
    }

    @Test
    void shouldCleanFramesInTheBackgroundAndStopTheWriterOnClose() throws Exception
    {
        final PageStoreOptions options = options(16).pageWriterInterval(1, TimeUnit.MILLISECONDS).build();
        final List<Long> ids = createPages(options, 16);
        final PageStore store = PageStore.open(options, log);
        try
        {
            assertThat(writerThreads()).hasSize(1).allMatch(Thread::isDaemon);
            for (final long id : ids.subList(0, 12))
            {
                try (PageHandle page = store.pin(id, LatchMode.EXCLUSIVE))
                {
                    page.markDirty(100);
                }
            }
            Thread.sleep(50);
            assertThat(store.dirtyPages()).as("three quarters of the frames dirty: not yet the writer's business")
                .hasSize(12);
            try (PageHandle page = store.pin(ids.get(12), LatchMode.EXCLUSIVE))
            {
                page.markDirty(100);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.dirtyPages().size() > 8 && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
            assertThat(store.dirtyPages().size()).as("dirty pages left by the page writer").isLessThanOrEqualTo(8);
        }
        finally
        {
            store.close();
        }
        assertThat(writerThreads()).isEmpty();
        assertThat(fs.openHandleCount()).isZero();
    }

    @Test
    void shouldStopTakingChangesAfterAFailedForceButStayReadable()
    {
        final PageStoreOptions options = options(16).build();
        final List<Long> ids = createPages(options, 4);
        final PageStore store = PageStore.open(options, log);
        try
        {
            try (PageHandle page = store.pin(ids.get(0), LatchMode.EXCLUSIVE))
            {
                page.body().putLong(8, 77);
                page.markDirty(10);
            }
            fs.faults().failOnce(OpKind.FORCE, fs.faults().operationCount(OpKind.FORCE) + 1);
            assertThatThrownBy(store::flushAll).isInstanceOf(FailStopException.class)
                .hasMessageContaining("pages.tm");
            try (PageHandle page = store.pin(ids.get(1), LatchMode.EXCLUSIVE))
            {
                assertThatThrownBy(() -> page.markDirty(11)).isInstanceOf(FailStopException.class);
            }
            touch(store, ids.get(2));
            assertThat(store.dirtyPages()).containsKey(ids.get(0));
        }
        finally
        {
            store.close();
        }
        assertThatThrownBy(() -> store.pin(ids.get(0), LatchMode.SHARED)).isInstanceOf(IllegalStateException.class);
        try (PageStore reopened = PageStore.open(options, log))
        {
            touch(reopened, ids.get(0));
        }
        assertThat(fs.openHandleCount()).isZero();
    }

    private static List<Thread> writerThreads()
    {
        final List<Thread> found = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(PageWriter.THREAD_NAME))
            .filter(Thread::isAlive).forEach(found::add);
        return found;
    }
}
