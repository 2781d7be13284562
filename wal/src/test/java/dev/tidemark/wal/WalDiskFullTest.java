package dev.tidemark.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.Durability;
import dev.tidemark.StorageFullException;
import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalDiskFullTest
{
    private static final int SEGMENT = 64 << 10;

    private static WalOptions options(final SimulatedFileSystem fs)
    {
        return WalOptions.builder(WalWorkload.DIR).fileIo(fs).segmentSize(SEGMENT).build();
    }

    @Test
    void shouldRefuseAppendsWhenTheDiskIsFullAndResumeOnceSpaceIsFreed()
    {
        final SimulatedFileSystem fs = SimulatedFileSystem.builder(7).capacity(4L * SEGMENT).build();
        final List<Long> acknowledged = new ArrayList<>();
        final byte[] record = new byte[1000];
        StorageFullException full = null;
        try (WriteAheadLog wal = WriteAheadLog.open(options(fs)))
        {
            for (int i = 0; i < 1000 && full == null; i++)
            {
                try
                {
                    acknowledged.add(wal.append(1, record, Durability.SYNC));
                }
                catch (final StorageFullException ex)
                {
                    full = ex;
                }
            }
            assertThat(full).as("the disk filled").isNotNull();
            assertThat(full.getMessage()).contains("full").contains("free space and retry");
            assertThat(wal.failure()).as("a full disk is not fail-stop").isNull();
            final long durable = wal.durableLsn();
            assertThat(durable).isEqualTo(acknowledged.get(acknowledged.size() - 1));
            assertThatThrownBy(() -> wal.append(1, record, Durability.SYNC)).isInstanceOf(StorageFullException.class);

            fs.capacity(16L * SEGMENT);
            for (int i = 0; i < 150; i++)
            {
                acknowledged.add(wal.append(1, record, Durability.SYNC));
            }
        }
        for (int i = 1; i < acknowledged.size(); i++)
        {
            assertThat(acknowledged.get(i)).as("LSNs stay dense across the full disk").isEqualTo(acknowledged.get(i - 1) + 1);
        }
        final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, 7);
        try (WriteAheadLog wal = WriteAheadLog.open(options(rebooted)))
        {
            assertThat(wal.openReport().lastLsn()).isEqualTo(acknowledged.get(acknowledged.size() - 1));
            assertThat(wal.openReport().records()).isEqualTo(acknowledged.size());
        }
    }
}
