package dev.tidemark.io;

import java.io.IOException;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A read-write memory mapping of part of a file, exposed as an Agrona buffer. Writes through {@link #buffer()}
 * reach the file's cache at once and become durable with {@link #force(int, int)}.
 */
public interface MappedRegion extends AutoCloseable
{
    /** @return the mapped bytes; index 0 is file offset {@link #position()}. */
    AtomicBuffer buffer();

    long position();

    int size();

    /** Makes {@code [offset, offset + length)} of this mapping durable. */
    void force(int offset, int length) throws IOException;

    /** Unmaps. The buffer must not be used afterwards. */
    @Override
    void close();
}
