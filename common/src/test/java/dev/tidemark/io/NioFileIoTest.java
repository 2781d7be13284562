package dev.tidemark.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioFileIoTest
{
    @TempDir
    Path dir;

    private final FileIo io = new NioFileIo();

    @Test
    void shouldAllocateMapWriteAndReadBackThroughTheSeam() throws IOException
    {
        final Path file = dir.resolve("a/b/data.bin");
        io.createDirectories(file.getParent());
        try (FileHandle handle = io.open(file, FileIo.OpenMode.CREATE_NEW))
        {
            handle.allocate(1 << 20);
            assertThat(handle.size()).isEqualTo(1 << 20);
            try (MappedRegion region = handle.map(4096, 8192))
            {
                region.buffer().putLong(0, 0x1122334455667788L);
                region.force(0, 8);
            }
            final ByteBuffer read = ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
            handle.readFully(read, 4096);
            assertThat(read.getLong(0)).isEqualTo(0x1122334455667788L);
            handle.force();
        }
        io.forceDirectory(file.getParent());
        assertThat(io.list(file.getParent())).containsExactly(file);
    }

    @Test
    void shouldRefuseToMapBeyondTheEndOfTheFile() throws IOException
    {
        try (FileHandle handle = io.open(dir.resolve("small"), FileIo.OpenMode.CREATE))
        {
            handle.allocate(4096);
            assertThatThrownBy(() -> handle.map(0, 8192)).isInstanceOf(IOException.class)
                .hasMessageContaining("allocate the range first");
        }
    }

    @Test
    void shouldRenameAtomicallyAndDeleteIdempotently() throws IOException
    {
        final Path from = dir.resolve("from");
        final Path to = dir.resolve("to");
        Files.writeString(from, "x");
        Files.writeString(to, "old");
        io.rename(from, to);
        io.forceDirectory(dir);
        assertThat(Files.readString(to)).isEqualTo("x");
        io.delete(to);
        io.delete(to);
        assertThat(io.exists(to)).isFalse();
        assertThat(io.list(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void shouldTranslateNoSpaceErrors()
    {
        assertThat(NioFileIo.translate(new IOException("No space left on device"))).isInstanceOf(NoSpaceException.class);
        assertThat(NioFileIo.translate(new IOException("Permission denied"))).isNotInstanceOf(NoSpaceException.class);
    }
}
