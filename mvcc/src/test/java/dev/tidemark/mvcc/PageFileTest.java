package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.CorruptionException;
import dev.tidemark.UnsupportedFormatException;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageFileTest
{
    private static final int TYPE = 42;

    @TempDir
    Path dir;

    private final FakeLog log = new FakeLog();

    private static void fill(final PageHandle page, final long seed)
    {
        for (int i = 0; i < page.body().capacity(); i += Long.BYTES)
        {
            page.body().putLong(i, seed * 1_000_003L + i);
        }
    }

    private static boolean holds(final PageHandle page, final long seed)
    {
        for (int i = 0; i < page.body().capacity(); i += Long.BYTES)
        {
            if (page.body().getLong(i) != seed * 1_000_003L + i)
            {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @ValueSource(ints = {4096, 8192, 16384, 32768, 65536})
    void shouldRoundTripPagesWithChecksumAtEveryPageSize(final int pageSize) throws Exception
    {
        final Path file = dir.resolve("pages.tm");
        final List<Long> ids = new ArrayList<>();
        try (PageStore store = PageStore.open(PageStoreOptions.builder(file).pageSize(pageSize)
            .bufferPoolBytes(16L * pageSize).extentPages(8).build(), log))
        {
            for (int i = 0; i < 20; i++)
            {
                try (PageHandle page = store.allocate(TYPE, 100 + i))
                {
                    fill(page, page.pageId());
                    ids.add(page.pageId());
                }
            }
        }
        final byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length % pageSize).isZero();
        final ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (final long id : ids)
        {
            final ByteBuffer page = all.duplicate().position((int)(id * pageSize)).limit((int)((id + 1) * pageSize))
                .slice().order(ByteOrder.LITTLE_ENDIAN);
            assertThat(PageLayout.check(page, id, new CRC32C())).isEqualTo(PageLayout.Check.VALID);
            assertThat(PageLayout.type(page)).isEqualTo(TYPE);
        }
        // an existing file keeps its page size whatever the options say
        try (PageStore store = PageStore.open(PageStoreOptions.builder(file).pageSize(pageSize == 4096 ? 8192 : 4096)
            .bufferPoolBytes(16L * 65536).build(), log))
        {
            assertThat(store.pageSize()).isEqualTo(pageSize);
            for (int i = 0; i < ids.size(); i++)
            {
                try (PageHandle page = store.pin(ids.get(i), LatchMode.SHARED))
                {
                    assertThat(page.pageLsn()).isEqualTo(100 + i);
                    assertThat(page.pageType()).isEqualTo(TYPE);
                    assertThat(holds(page, ids.get(i))).isTrue();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1000, 2048, 4095, 12288, 131072, -8192})
    void shouldRejectPageSizesThatAreNotPowersOfTwoFrom4KTo64K(final int pageSize)
    {
        assertThatThrownBy(() -> PageStoreOptions.builder(dir.resolve("p")).pageSize(pageSize).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pageSize")
            .hasMessageContaining(String.valueOf(pageSize));
    }

    @Test
    void shouldValidateEveryOptionNamingTheBadValue()
    {
        assertThatThrownBy(() -> PageStoreOptions.builder(dir.resolve("p")).extentPages(0).build())
            .hasMessageContaining("extentPages");
        assertThatThrownBy(() -> PageStoreOptions.builder(dir.resolve("p")).doublewriteSlots(0).build())
            .hasMessageContaining("doublewriteSlots");
        assertThatThrownBy(() -> PageStoreOptions.builder(dir.resolve("p")).bufferPoolBytes(8192 * 7).build())
            .hasMessageContaining("bufferPoolBytes");
    }

    @Test
    void shouldDetectDamageAtOpenNamingFileAndPage()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(7);
        final Path file = Path.of("/db/pages.tm");
        final long victim;
        final PageStoreOptions options = PageStoreOptions.builder(file).fileIo(fs).pageSize(4096)
            .bufferPoolBytes(16 * 4096).extentPages(8).build();
        try
        {
            fs.createDirectories(file.getParent());
        }
        catch (final java.io.IOException ex)
        {
            throw new AssertionError(ex);
        }
        try (PageStore store = PageStore.open(options, log))
        {
            try (PageHandle page = store.allocate(TYPE, 1))
            {
                victim = page.pageId();
                fill(page, 5);
            }
            store.flushAll();
            // a later batch replaces the doublewrite copy of the victim, which would otherwise repair it
            store.allocate(TYPE, 2).close();
        }
        fs.corruptByte(file, victim * 4096 + 1000, 0x10);
        final Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> PageStore.open(options, log));
        assertThat(thrown).isInstanceOf(CorruptionException.class)
            .hasMessageContaining("page " + victim).hasMessageContaining("pages.tm");
        final CorruptionException corruption = (CorruptionException)thrown;
        assertThat(corruption.file()).isEqualTo(file);
        assertThat(corruption.offset()).isEqualTo(victim * 4096);
        assertThat(fs.openHandleCount()).isZero();
    }

    @Test
    void shouldDetectDamageOfAPageReadAfterOpen() throws Exception
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(8);
        final Path file = Path.of("/db/pages.tm");
        fs.createDirectories(file.getParent());
        final PageStoreOptions options = PageStoreOptions.builder(file).fileIo(fs).pageSize(4096)
            .bufferPoolBytes(16 * 4096).extentPages(8).build();
        final long victim;
        try (PageStore store = PageStore.open(options, log))
        {
            try (PageHandle page = store.allocate(TYPE, 1))
            {
                victim = page.pageId();
            }
        }
        try (PageStore store = PageStore.open(options, log))
        {
            fs.corruptByte(file, victim * 4096 + 5, 0x01);
            assertThatThrownBy(() -> store.pin(victim, LatchMode.SHARED)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("page " + victim + " failed its checksum")
                .hasMessageContaining("byte offset " + victim * 4096);
            fs.corruptByte(file, victim * 4096 + 5, 0x01);
            try (PageHandle page = store.pin(victim, LatchMode.SHARED))
            {
                assertThat(page.pageType()).isEqualTo(TYPE);
            }
        }
    }

    @Test
    void shouldRecogniseNeverWrittenPagesAsZeroAndFree() throws Exception
    {
        final ByteBuffer zero = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(PageLayout.check(zero, 99, new CRC32C())).isEqualTo(PageLayout.Check.ZERO);
        try (PageStore store = PageStore.open(PageStoreOptions.builder(dir.resolve("p")).pageSize(4096)
            .bufferPoolBytes(16 * 4096).extentPages(8).build(), log))
        {
            assertThat(store.freePageCount()).isEqualTo(8);
            try (PageHandle page = store.pin(store.firstDataPage() + 3, LatchMode.SHARED))
            {
                assertThat(page.pageType()).isZero();
                assertThat(page.pageLsn()).isZero();
                assertThat(page.body().getLong(100)).isZero();
            }
        }
    }

    @Test
    void shouldReuseFreedPagesBeforeGrowingAndRememberThemAfterReopen()
    {
        final PageStoreOptions options = PageStoreOptions.builder(dir.resolve("p")).pageSize(4096)
            .bufferPoolBytes(16 * 4096).extentPages(4).doublewriteSlots(4).build();
        final long freed;
        try (PageStore store = PageStore.open(options, log))
        {
            final long first = store.firstDataPage();
            assertThat(store.pageCount()).isEqualTo(first + 4);
            for (int i = 0; i < 4; i++)
            {
                store.allocate(TYPE, 1).close();
            }
            assertThat(store.freePageCount()).isZero();
            freed = first + 2;
            store.free(freed, 2);
            assertThatThrownBy(() -> store.free(freed, 3)).isInstanceOf(IllegalStateException.class);
            try (PageHandle page = store.allocate(TYPE, 3))
            {
                assertThat(page.pageId()).isEqualTo(freed);
                assertThat(page.body().getLong(0)).isZero();
            }
            assertThat(store.pageCount()).isEqualTo(first + 4);
            try (PageHandle page = store.allocate(TYPE, 4))
            {
                assertThat(page.pageId()).isEqualTo(first + 4);
            }
            assertThat(store.pageCount()).isEqualTo(first + 8);
            store.free(first + 1, 5);
        }
        try (PageStore store = PageStore.open(options, log))
        {
            assertThat(store.freePageCount()).isEqualTo(4);
            try (PageHandle page = store.allocate(TYPE, 6))
            {
                assertThat(page.pageId()).isEqualTo(store.firstDataPage() + 1);
            }
        }
    }

    @Test
    void shouldRefuseAPageOfAnUnknownFormatVersion() throws Exception
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(9);
        final Path file = Path.of("/db/pages.tm");
        fs.createDirectories(file.getParent());
        final PageStoreOptions options = PageStoreOptions.builder(file).fileIo(fs).pageSize(4096)
            .bufferPoolBytes(16 * 4096).extentPages(8).build();
        PageStore.open(options, log).close();
        fs.corruptByte(file, PageLayout.VERSION_OFFSET, 0x03);
        assertThatThrownBy(() -> PageStore.open(options, log)).isInstanceOf(UnsupportedFormatException.class)
            .hasMessageContaining("version 2");
        fs.corruptByte(file, PageLayout.VERSION_OFFSET, 0x03);
        fs.corruptByte(file, PageFileLayout.MAGIC_OFFSET, 0x03);
        assertThatThrownBy(() -> PageStore.open(options, log)).isInstanceOf(CorruptionException.class)
            .hasMessageContaining("magic");
    }

    @Test
    void shouldGrowInExtentsOfRealZeros() throws Exception
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(10);
        final Path file = Path.of("/db/pages.tm");
        fs.createDirectories(file.getParent());
        final PageStoreOptions options = PageStoreOptions.builder(file).fileIo(fs).pageSize(4096)
            .bufferPoolBytes(16 * 4096).extentPages(4).doublewriteSlots(2).build();
        try (PageStore store = PageStore.open(options, log))
        {
            for (int i = 0; i < 9; i++)
            {
                store.allocate(TYPE, 1).close();
            }
            assertThat(store.pageCount()).isEqualTo(store.firstDataPage() + 12);
            // the growth is durable before any page in it is used
            assertThat(fs.durableBytes(file).length).isEqualTo((int)((store.firstDataPage() + 12) * 4096));
        }
        assertThat(fs.durableFiles()).containsExactly(file);
    }
}
