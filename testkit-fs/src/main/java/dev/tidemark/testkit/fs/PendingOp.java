package dev.tidemark.testkit.fs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A change to one file's content that is not durable yet: a write of copied bytes or a change of length. A crash
 * replays some of a file's pending operations onto its durable image, as its {@link CrashMode} decides.
 *
 * <p>Immutable (the bytes of a {@link Write} are a private copy that is never changed), so thread-safe.
 */
sealed interface PendingOp permits PendingOp.Write, PendingOp.SetLength
{
    void applyTo(ByteImage image);

    /** Bytes {@code data} written at file offset {@code offset}; writing past the end grows the file. */
    record Write(long offset, byte[] data) implements PendingOp
    {
        @Override
        public void applyTo(final ByteImage image)
        {
            image.write(offset, data, 0, data.length);
        }

        long end()
        {
            return offset + data.length;
        }

        /** @return this write cut at every multiple of {@code alignment} of the file offset, in order. */
        List<Write> pieces(final int alignment)
        {
            final List<Write> pieces = new ArrayList<>();
            long from = offset;
            while (from < end())
            {
                final long to = Math.min(end(), (from / alignment + 1) * alignment);
                pieces.add(slice(from, to));
                from = to;
            }
            return pieces;
        }

        /** @return the part of this write in file range {@code [from, to)}, which must lie inside it. */
        Write slice(final long from, final long to)
        {
            return new Write(from, Arrays.copyOfRange(data, (int)(from - offset), (int)(to - offset)));
        }

        /** @return what is left of this write outside file range {@code [from, to)}: zero, one or two writes. */
        List<Write> without(final long from, final long to)
        {
            if (to <= offset || from >= end())
            {
                return List.of(this);
            }
            final List<Write> rest = new ArrayList<>(2);
            if (from > offset)
            {
                rest.add(slice(offset, from));
            }
            if (to < end())
            {
                rest.add(slice(to, end()));
            }
            return rest;
        }

        @Override
        public String toString()
        {
            return "write[" + offset + ", " + end() + ")";
        }
    }

    /** The file's length set to {@code length}: truncated, or grown with zeros. */
    record SetLength(long length) implements PendingOp
    {
        @Override
        public void applyTo(final ByteImage image)
        {
            image.setLength(length);
        }

        @Override
        public String toString()
        {
            return "length=" + length;
        }
    }
}
