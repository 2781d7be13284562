package dev.tidemark.testkit.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import dev.tidemark.io.MappedRegion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffering layer on a real directory: what was forced is in the file for a new process (a new layer), what
 * was not is only in the process that wrote it.
 */
class BufferingFileIoTest
{
    @TempDir
    Path dir;

    private static ByteBuffer text(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldKeepUnforcedWritesInTheProcessAndForcedOnesOnDisk() throws Exception
    {
        final Path file = dir.resolve("f");
        final BufferingFileIo io = new BufferingFileIo();
        try (FileHandle handle = io.open(file, FileIo.OpenMode.CREATE_NEW))
        {
            handle.write(text("forced"), 0);
            handle.force();
            handle.write(text("FORCED and more"), 0);
            final ByteBuffer seen = ByteBuffer.allocate(15);
            handle.readFully(seen, 0);
            assertThat(new String(seen.array(), StandardCharsets.UTF_8)).isEqualTo("FORCED and more");
            assertThat(handle.size()).isEqualTo(15);
        }
        // a killed process: the next one sees the file as the last force left it
        assertThat(Files.readString(file)).isEqualTo("forced");
        try (FileHandle handle = io.open(file, FileIo.OpenMode.READ_WRITE))
        {
            assertThat(handle.size()).as("the same process still sees its writes").isEqualTo(15);
            handle.force();
        }
        assertThat(Files.readString(file)).isEqualTo("FORCED and more");
    }

    @Test
    void shouldShareWritesWithMappingsAndForceMappedRanges() throws Exception
    {
        final Path file = dir.resolve("segment");
        final BufferingFileIo io = new BufferingFileIo();
        try (FileHandle handle = io.open(file, FileIo.OpenMode.CREATE_NEW))
        {
            handle.allocate(64 * 1024);
            handle.force();
            try (MappedRegion region = handle.map(0, 64 * 1024))
            {
                handle.write(text("written"), 100);
                assertThat(region.buffer().getStringWithoutLengthUtf8(100, 7)).isEqualTo("written");
                region.buffer().putStringWithoutLengthUtf8(200, "mapped");
                assertThat(Files.readAllBytes(file)[200]).as("not forced yet").isZero();
                region.force(200, 6);
                assertThat(new String(Files.readAllBytes(file), 200, 6, StandardCharsets.UTF_8)).isEqualTo("mapped");
            }
        }
        assertThat(Files.size(file)).isEqualTo(64 * 1024);
        assertThat(Files.readAllBytes(file)[100]).as("the write was never forced").isZero();
    }

    @Test
    void shouldForceLengthChanges() throws Exception
    {
        final Path file = dir.resolve("g");
        final BufferingFileIo io = new BufferingFileIo();
        try (FileHandle handle = io.open(file, FileIo.OpenMode.CREATE_NEW))
        {
            handle.write(text("0123456789"), 0);
            handle.force();
            handle.truncate(4);
            assertThat(Files.size(file)).isEqualTo(10);
            handle.force();
            assertThat(Files.readString(file)).isEqualTo("0123");
            handle.allocate(8192);
            handle.force();
            assertThat(Files.size(file)).isEqualTo(8192);
        }
        io.rename(file, dir.resolve("h"));
        try (FileHandle handle = io.open(dir.resolve("h"), FileIo.OpenMode.READ))
        {
            assertThat(handle.size()).isEqualTo(8192);
        }
    }
}
