package dev.tidemark.wal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Computes frame checksums straight from a segment's buffer without allocating: CRC32C over the frame bytes
 * after the checksum field, then over the frame length. Confined to one thread; it keeps a private view of the
 * segment's direct buffer so that moving the view's position races with no other reader.
 */
final class FrameChecksum
{
    private final CRC32C crc = new CRC32C();
    private final byte[] lengthBytes = new byte[Integer.BYTES];
    private AtomicBuffer viewOf;
    private ByteBuffer view;

    int compute(final AtomicBuffer buffer, final int frameOffset, final int frameLength)
    {
        crc.reset();
        final int from = frameOffset + FrameDescriptor.LSN_OFFSET;
        final int length = frameLength - FrameDescriptor.LSN_OFFSET;
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            crc.update(array, buffer.wrapAdjustment() + from, length);
        }
        else
        {
            if (viewOf != buffer)
            {
                view = buffer.byteBuffer().duplicate();
                viewOf = buffer;
            }
            final int start = buffer.wrapAdjustment() + from;
            view.limit(start + length).position(start);
            crc.update(view);
        }
        lengthBytes[0] = (byte)frameLength;
        lengthBytes[1] = (byte)(frameLength >>> 8);
        lengthBytes[2] = (byte)(frameLength >>> 16);
        lengthBytes[3] = (byte)(frameLength >>> 24);
        crc.update(lengthBytes, 0, Integer.BYTES);
        return (int)crc.getValue();
    }

    /** Forgets the cached view so that a closed segment's buffer is not kept reachable. */
    void release()
    {
        viewOf = null;
        view = null;
    }
}
