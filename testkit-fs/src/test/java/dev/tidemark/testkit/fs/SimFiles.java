package dev.tidemark.testkit.fs;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/** Stateless helpers for the simulated file system tests. */
final class SimFiles
{
    static final Path DIR = Path.of("/sim/db");

    private SimFiles()
    {
    }

    static byte[] filled(final int length, final int value)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

    static void write(final FileHandle handle, final long position, final byte[] data) throws IOException
    {
        handle.write(ByteBuffer.wrap(data), position);
    }

    static byte[] read(final FileIo io, final Path file) throws IOException
    {
        try (FileHandle handle = io.open(file, FileIo.OpenMode.READ))
        {
            final ByteBuffer buffer = ByteBuffer.allocate((int)handle.size());
            handle.readFully(buffer, 0);
            return buffer.array();
        }
    }

    /** Creates {@code file} with {@code content}, durable with its name. */
    static void createDurable(final FileIo io, final Path file, final byte[] content) throws IOException
    {
        io.createDirectories(file.getParent());
        try (FileHandle handle = io.open(file, FileIo.OpenMode.CREATE_NEW))
        {
            write(handle, 0, content);
            handle.force();
        }
        io.forceDirectory(file.getParent());
    }
}
