package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.createDurable;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.read;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest
{
    private static final long SEED = 0xFA17L;
    private static final Path FILE = DIR.resolve("data");

    @Test
    void shouldFailExactlyTheNthOperationOfAKindOnce() throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);
        fs.createDirectories(DIR);
        fs.faults().failOnce(OpKind.WRITE, 3);
        final List<Integer> failed = new ArrayList<>();
        try (FileHandle file = fs.open(FILE, OpenMode.CREATE))
        {
            for (int i = 1; i <= 6; i++)
            {
                try
                {
                    write(file, i - 1, new byte[] {(byte)i});
                }
                catch (final InjectedFaultException ex)
                {
                    failed.add(i);
                    assertThat(ex.kind()).isEqualTo(OpKind.WRITE);
                    assertThat(ex.index()).isEqualTo(3);
                    assertThat(ex).hasMessageContaining("WRITE #3").hasMessageContaining("seed=" + SEED)
                        .hasMessageContaining(FILE.toString());
                }
            }
        }
        assertThat(failed).containsExactly(3);
        assertThat(read(fs, FILE)).containsExactly(1, 2, 0, 4, 5, 6);
    }

    @Test
    void shouldFailEveryOperationOfAKindFromTheNthOn() throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);
        fs.createDirectories(DIR);
        fs.faults().failFrom(OpKind.RENAME, 2);
        fs.open(DIR.resolve("a"), OpenMode.CREATE).close();
        fs.rename(DIR.resolve("a"), DIR.resolve("b"));
        assertThatThrownBy(() -> fs.rename(DIR.resolve("b"), DIR.resolve("c")))
            .isInstanceOf(InjectedFaultException.class).hasMessageContaining("from RENAME #2 on");
        assertThatThrownBy(() -> fs.rename(DIR.resolve("b"), DIR.resolve("c")))
            .isInstanceOf(InjectedFaultException.class).hasMessageContaining("RENAME #3");
        assertThat(fs.exists(DIR.resolve("b"))).isTrue();
        fs.faults().clear();
        fs.rename(DIR.resolve("b"), DIR.resolve("c"));
        assertThat(fs.list(DIR)).containsExactly(DIR.resolve("c"));
    }

    @Test
    void shouldMakeNothingDurableWhenAWriteOrDirectoryForceFails() throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);
        createDurable(fs, FILE, filled(4, 1));
        fs.open(DIR.resolve("new"), OpenMode.CREATE).close();
        fs.faults().resetCounts();
        fs.faults().failOnce(OpKind.WRITE, 1);
        fs.faults().failOnce(OpKind.FORCE_DIRECTORY, 1);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            assertThatThrownBy(() -> write(file, 0, filled(8, 2))).isInstanceOf(InjectedFaultException.class);
            assertThat(file.size()).isEqualTo(4);
            file.force();
        }
        assertThatThrownBy(() -> fs.forceDirectory(DIR)).isInstanceOf(InjectedFaultException.class);
        assertThat(fs.durableFiles()).containsExactly(FILE);
        assertThat(fs.durableBytes(FILE)).isEqualTo(filled(4, 1));
        fs.forceDirectory(DIR);
        assertThat(fs.durableFiles()).containsExactly(FILE, DIR.resolve("new"));
    }

    @Test
    void shouldCountOperationsByKindFromTheLastReset() throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);
        fs.createDirectories(DIR);
        fs.faults().resetCounts();
        assertThat(runWorkload(fs, new int[1])).isEqualTo(13);
        assertThat(fs.faults().operationCount()).isEqualTo(13);
        for (final OpKind kind : OpKind.values())
        {
            assertThat(fs.faults().operationCount(kind)).as(kind.name()).isEqualTo(1);
        }
    }

    @Test
    void shouldCrashAtExactlyTheKthOperationForEveryK() throws IOException
    {
        final SimulatedFileSystem counting = new SimulatedFileSystem(SEED);
        counting.createDirectories(DIR);
        counting.faults().resetCounts();
        final int total = runWorkload(counting, new int[1]);

        for (int k = 1; k <= total; k++)
        {
            final SimulatedFileSystem fs = new SimulatedFileSystem(SEED + k);
            fs.createDirectories(DIR);
            fs.faults().resetCounts();
            fs.faults().crashAtOperation(k);
            final int[] completed = new int[1];
            try
            {
                runWorkload(fs, completed);
                fail("no crash at operation " + k);
            }
            catch (final SimulatedCrashException ex)
            {
                assertThat(ex).hasMessageContaining("#" + k).hasMessageContaining("seed=" + (SEED + k));
            }
            assertThat(completed[0]).isEqualTo(k - 1);
            assertThat(fs.faults().operationCount()).isEqualTo(k);
            assertThat(fs.isHalted()).isTrue();
            assertThatThrownBy(() -> fs.list(DIR)).isInstanceOf(SimulatedCrashException.class);
            assertThat(fs.crash(CrashMode.DROP_ALL).exists(DIR)).isTrue();
        }
    }

    @Test
    void shouldRejectRulesAndCrashPointsThatCannotFireAnyMore() throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);
        fs.createDirectories(DIR);
        fs.createDirectories(DIR);
        assertThatThrownBy(() -> fs.faults().crashAtOperation(2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("seed=" + SEED);
        assertThatThrownBy(() -> fs.faults().failOnce(OpKind.CREATE_DIRECTORY, 2))
            .isInstanceOf(IllegalArgumentException.class);
        fs.faults().resetCounts();
        fs.faults().failOnce(OpKind.CREATE_DIRECTORY, 2);
        assertThat(fs.faults().toString()).contains("CREATE_DIRECTORY once at #2");
    }

    /** Runs one operation of every kind; @return the number run, each counted in {@code completed}. */
    private static int runWorkload(final SimulatedFileSystem fs, final int[] completed) throws IOException
    {
        final FileHandle file = fs.open(FILE, OpenMode.CREATE);
        completed[0]++;
        write(file, 0, filled(100, 1));
        completed[0]++;
        file.allocate(4096);
        completed[0]++;
        final MappedRegion region = file.map(0, 4096);
        completed[0]++;
        region.buffer().putByte(0, (byte)2);
        region.force(0, 512);
        completed[0]++;
        region.close();
        file.read(ByteBuffer.allocate(10), 0);
        completed[0]++;
        file.truncate(2048);
        completed[0]++;
        file.force();
        completed[0]++;
        file.close();
        fs.forceDirectory(DIR);
        completed[0]++;
        fs.rename(FILE, DIR.resolve("renamed"));
        completed[0]++;
        fs.list(DIR);
        completed[0]++;
        fs.delete(DIR.resolve("renamed"));
        completed[0]++;
        fs.createDirectories(DIR.resolve("sub"));
        completed[0]++;
        return completed[0];
    }
}
