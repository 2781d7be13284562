package dev.tidemark.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** An open file. Positional I/O only, so one handle may be shared by threads. */
public interface FileHandle extends Closeable
{
    Path path();

    long size() throws IOException;

    /** Reads into {@code dst} from {@code position}; returns the bytes read, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Reads until {@code dst} is full; fails with {@link java.io.EOFException} when the file ends first. */
    default void readFully(final ByteBuffer dst, final long position) throws IOException
    {
        long at = position;
        while (dst.hasRemaining())
        {
            final int n = read(dst, at);
            if (n < 0)
            {
                throw new java.io.EOFException(path() + ": end of file at byte " + at);
            }
            at += n;
        }
    }

    /** Writes all remaining bytes of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    void truncate(long size) throws IOException;

    /**
     * Grows the file to {@code size} bytes with real, zero-filled blocks (never sparse), so that a later write
     * or mapping of that range cannot fail for lack of space. A no-op when the file is already that large.
     */
    void allocate(long size) throws IOException;

    /**
     * Maps {@code [position, position + size)} read-write. The range must lie inside the file (allocate first):
     * writes through the mapping are not durable until {@link MappedRegion#force(int, int)} covers them.
     */
    MappedRegion map(long position, int size) throws IOException;

    /** Makes every write to this file durable, its length included. */
    void force() throws IOException;
}
