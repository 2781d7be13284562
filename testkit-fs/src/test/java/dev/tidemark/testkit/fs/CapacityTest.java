package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.read;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.NoSpaceException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CapacityTest
{
    private static final long SEED = 0xD15CL;

    private final SimulatedFileSystem fs = SimulatedFileSystem.builder(SEED).capacity(1000).build();

    @Test
    void shouldRefuseGrowthPastTheCapacityAndChangeNothing() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("a"), OpenMode.CREATE))
        {
            write(file, 0, filled(600, 1));
            assertThatThrownBy(() -> write(file, 500, filled(600, 2))).isInstanceOf(NoSpaceException.class)
                .hasMessageContaining("seed=" + SEED);
            assertThatThrownBy(() -> file.allocate(1001)).isInstanceOf(NoSpaceException.class);
            write(file, 0, filled(600, 3));
            file.allocate(1000);
            assertThat(fs.usedBytes()).isEqualTo(1000);
        }
        final byte[] expected = new byte[1000];
        java.util.Arrays.fill(expected, 0, 600, (byte)3);
        assertThat(read(fs, DIR.resolve("a"))).isEqualTo(expected);
    }

    @Test
    void shouldMakeSpaceAgainWhenFilesAreDeletedTruncatedOrTheCapacityRaised() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("a"), OpenMode.CREATE))
        {
            file.allocate(800);
        }
        try (FileHandle file = fs.open(DIR.resolve("b"), OpenMode.CREATE))
        {
            assertThatThrownBy(() -> file.allocate(300)).isInstanceOf(NoSpaceException.class);
            fs.delete(DIR.resolve("a"));
            file.allocate(300);
            assertThatThrownBy(() -> file.allocate(1100)).isInstanceOf(NoSpaceException.class);
            fs.capacity(2000);
            file.allocate(1100);
            file.truncate(100);
            assertThat(fs.usedBytes()).isEqualTo(100);
        }
    }

    @Test
    void shouldFreeTheSpaceOfAReplacedFileAndKeepTheCapacityAcrossACrash() throws IOException
    {
        fs.createDirectories(DIR);
        for (final String name : new String[] {"a", "b"})
        {
            try (FileHandle file = fs.open(DIR.resolve(name), OpenMode.CREATE))
            {
                file.allocate(400);
                file.force();
            }
        }
        fs.forceDirectory(DIR);
        fs.rename(DIR.resolve("a"), DIR.resolve("b"));
        assertThat(fs.usedBytes()).isEqualTo(400);

        final SimulatedFileSystem reboot = fs.crash(CrashMode.DROP_ALL);
        assertThat(reboot.capacity()).isEqualTo(1000);
        assertThat(reboot.usedBytes()).isEqualTo(800);
    }
}
