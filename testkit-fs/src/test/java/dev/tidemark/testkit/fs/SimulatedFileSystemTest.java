package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.read;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SimulatedFileSystemTest
{
    private static final long SEED = 0x5EED_0001L;

    private final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);

    @Test
    void shouldReadBackWritesAndFillAGapWithZeros() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("a"), OpenMode.CREATE))
        {
            write(file, 0, new byte[] {1, 2, 3});
            write(file, 6, new byte[] {7});
            assertThat(file.size()).isEqualTo(7);
            final ByteBuffer dst = ByteBuffer.allocate(10);
            assertThat(file.read(dst, 1)).isEqualTo(6);
            assertThat(file.read(ByteBuffer.allocate(1), 7)).isEqualTo(-1);
        }
        assertThat(read(fs, DIR.resolve("a"))).containsExactly(1, 2, 3, 0, 0, 0, 7);
    }

    @Test
    void shouldTreatOpenModesAsNioDoes() throws IOException
    {
        fs.createDirectories(DIR);
        final Path file = DIR.resolve("f");
        assertThatThrownBy(() -> fs.open(file, OpenMode.READ)).isInstanceOf(NoSuchFileException.class)
            .hasMessageContaining("seed=" + SEED);
        assertThatThrownBy(() -> fs.open(file, OpenMode.READ_WRITE)).isInstanceOf(NoSuchFileException.class);
        fs.open(file, OpenMode.CREATE_NEW).close();
        assertThatThrownBy(() -> fs.open(file, OpenMode.CREATE_NEW)).isInstanceOf(FileAlreadyExistsException.class);
        fs.open(file, OpenMode.CREATE).close();
        assertThatThrownBy(() -> fs.open(Path.of("/nowhere/f"), OpenMode.CREATE))
            .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> fs.open(DIR, OpenMode.READ)).isInstanceOf(IOException.class);
        try (FileHandle readOnly = fs.open(file, OpenMode.READ))
        {
            assertThatThrownBy(() -> write(readOnly, 0, new byte[1])).isInstanceOf(NonWritableChannelException.class);
        }
    }

    @Test
    void shouldNormalisePathsAndListDirectChildrenSortedByName() throws IOException
    {
        fs.createDirectories(DIR.resolve("sub/deeper"));
        fs.open(DIR.resolve("b"), OpenMode.CREATE).close();
        fs.open(DIR.resolve("./sub/../a"), OpenMode.CREATE).close();
        assertThat(fs.list(DIR)).containsExactly(DIR.resolve("a"), DIR.resolve("b"), DIR.resolve("sub"));
        assertThat(fs.list(DIR.resolve("missing"))).isEmpty();
        assertThat(fs.exists(DIR.resolve("sub/deeper"))).isTrue();
        assertThat(fs.exists(DIR.resolve("sub/../a"))).isTrue();
        assertThat(fs.exists(DIR.resolve("c"))).isFalse();
    }

    @Test
    void shouldRenameReplacingTheTargetAndDeleteWithoutErrorWhenGone() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("new"), OpenMode.CREATE))
        {
            write(file, 0, new byte[] {9});
        }
        fs.open(DIR.resolve("old"), OpenMode.CREATE).close();
        fs.rename(DIR.resolve("new"), DIR.resolve("old"));
        assertThat(fs.list(DIR)).containsExactly(DIR.resolve("old"));
        assertThat(read(fs, DIR.resolve("old"))).containsExactly(9);
        assertThatThrownBy(() -> fs.rename(DIR.resolve("new"), DIR.resolve("x")))
            .isInstanceOf(NoSuchFileException.class);
        fs.delete(DIR.resolve("old"));
        fs.delete(DIR.resolve("old"));
        assertThat(fs.list(DIR)).isEmpty();
    }

    @Test
    void shouldDeleteOnlyEmptyDirectories() throws IOException
    {
        fs.createDirectories(DIR.resolve("empty"));
        fs.open(DIR.resolve("f"), OpenMode.CREATE).close();
        assertThatThrownBy(() -> fs.delete(DIR)).isInstanceOf(DirectoryNotEmptyException.class);
        fs.delete(DIR.resolve("empty"));
        assertThat(fs.exists(DIR.resolve("empty"))).isFalse();
    }

    @Test
    void shouldKeepAnOpenDeletedFileReadableAndItsSpaceUsedUntilClosed() throws IOException
    {
        fs.createDirectories(DIR);
        final FileHandle file = fs.open(DIR.resolve("f"), OpenMode.CREATE);
        write(file, 0, filled(100, 1));
        fs.delete(DIR.resolve("f"));
        assertThat(fs.exists(DIR.resolve("f"))).isFalse();
        assertThat(fs.usedBytes()).isEqualTo(100);
        assertThat(file.read(ByteBuffer.allocate(10), 0)).isEqualTo(10);
        file.close();
        assertThat(fs.usedBytes()).isZero();
    }

    @Test
    void shouldRefuseToMapPastTheEndOfTheFile() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("f"), OpenMode.CREATE))
        {
            file.allocate(4096);
            assertThatThrownBy(() -> file.map(1, 4096)).isInstanceOf(IOException.class)
                .hasMessageContaining("allocate the range first").hasMessageContaining("seed=" + SEED);
            file.map(0, 4096).close();
        }
    }

    @Test
    void shouldShowMappedWritesToReadsAndKeepMappingsValidWhenTheFileGrows() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("f"), OpenMode.CREATE))
        {
            file.allocate(100);
            final MappedRegion region = file.map(10, 50);
            region.buffer().putByte(0, (byte)42);
            file.allocate(1 << 20);
            region.buffer().putByte(1, (byte)43);
            write(file, 12, new byte[] {44});
            final ByteBuffer dst = ByteBuffer.allocate(3);
            file.readFully(dst, 10);
            assertThat(dst.array()).containsExactly(42, 43, 44);
            assertThat(region.buffer().getByte(2)).isEqualTo((byte)44);
            region.close();
            assertThatThrownBy(() -> region.buffer().getByte(0)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void shouldTruncateWithoutEverGrowingAndAllocateZeros() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("f"), OpenMode.CREATE))
        {
            write(file, 0, filled(10, 5));
            file.truncate(20);
            assertThat(file.size()).isEqualTo(10);
            file.truncate(4);
            file.allocate(8);
            file.allocate(2);
            assertThat(file.size()).isEqualTo(8);
        }
        assertThat(read(fs, DIR.resolve("f"))).containsExactly(5, 5, 5, 5, 0, 0, 0, 0);
    }

    @Test
    void shouldZeroBytesAMappingWroteBeyondATruncationWhenTheFileRegrows() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(DIR.resolve("f"), OpenMode.CREATE))
        {
            file.allocate(16);
            try (MappedRegion region = file.map(0, 16))
            {
                file.truncate(4);
                region.buffer().putByte(10, (byte)1);
                file.allocate(16);
            }
        }
        assertThat(read(fs, DIR.resolve("f"))).containsOnly(0);
    }

    @Test
    void shouldCountOpenHandlesAndMappingsAndFailOnClosedHandles() throws IOException
    {
        fs.createDirectories(DIR);
        final FileHandle file = fs.open(DIR.resolve("f"), OpenMode.CREATE);
        file.allocate(10);
        final MappedRegion region = file.map(0, 10);
        assertThat(fs.openHandleCount()).isEqualTo(1);
        assertThat(fs.openMappingCount()).isEqualTo(1);
        file.close();
        file.close();
        assertThatThrownBy(() -> file.force()).isInstanceOf(ClosedChannelException.class);
        region.force(0, 10);
        region.close();
        assertThat(fs.openHandleCount()).isZero();
        assertThat(fs.openMappingCount()).isZero();
        assertThatThrownBy(() -> region.force(0, 1)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldDescribeItselfWithItsSeed() throws IOException
    {
        fs.createDirectories(DIR);
        fs.open(DIR.resolve("f"), OpenMode.CREATE).close();
        assertThat(fs.toString()).contains("seed=" + SEED);
        assertThat(fs.describe()).contains("seed=" + SEED).contains("/sim/db/f").contains("name not durable");
    }
}
