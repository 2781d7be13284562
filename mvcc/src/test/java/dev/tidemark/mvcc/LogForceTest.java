package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.Durability;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogForceTest
{
    @TempDir
    Path dir;

    @Test
    void shouldForceTheWriteAheadLogUpToAPageLsnBeforeWritingThePage()
    {
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve("wal")).segmentSize(64 << 10)
            .build()))
        {
            final PageStoreOptions options = PageStoreOptions.builder(dir.resolve("pages.tm")).pageSize(4096)
                .bufferPoolBytes(16 * 4096).extentPages(8).build();
            try (PageStore store = PageStore.open(options, LogForce.of(wal)))
            {
                long lsn = 0;
                for (int i = 0; i < 6; i++)
                {
                    lsn = wal.append(1, new byte[] {(byte)i}, Durability.NONE);
                    try (PageHandle page = store.allocate(20, lsn))
                    {
                        page.body().putLong(0, lsn);
                    }
                }
                store.flushAll();
                assertThat(wal.durableLsn()).isGreaterThanOrEqualTo(lsn);
                assertThat(store.dirtyPages()).isEmpty();
            }
        }
    }
}
