package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.createDurable;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.read;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Writes, truncations, allocations, mapped writes and (range) forces on a file whose length changes: reads always
 * see the model's current content, the durable image is exactly what the model says the forces made durable (a
 * range force only inside every length the file may have after a crash), DROP_ALL shows that image, and every
 * other mode produces a file without failing.
 */
class LengthChangeProperties
{
    private static final int MAX = 3 * 4096;
    private static final Path FILE = DIR.resolve("data");

    @Property(tries = 300)
    void shouldMakeDurableExactlyWhatTheForcesCovered(@ForAll("actions") final List<Action> actions,
        @ForAll final long seed) throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        createDurable(fs, FILE, filled(1000, 1));
        final Model model = new Model(filled(1000, 1));
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            for (final Action action : actions)
            {
                action.apply(file, model);
                model.apply(action);
                assertThat(file.size()).isEqualTo(model.current.length);
            }
        }
        assertThat(fs.currentBytes(FILE)).as("current of %s", fs).isEqualTo(model.current);
        assertThat(fs.durableBytes(FILE)).as("durable of %s", fs).isEqualTo(model.durable);
        fs.halt();
        for (final CrashMode mode : CrashMode.values())
        {
            final byte[] after = read(fs.crash(mode), FILE);
            if (mode == CrashMode.DROP_ALL)
            {
                assertThat(after).isEqualTo(model.durable);
            }
        }
    }

    @Provide
    Arbitrary<List<Action>> actions()
    {
        final Arbitrary<Integer> offsets = Arbitraries.integers().between(0, MAX - 1);
        final Arbitrary<Integer> lengths = Arbitraries.integers().between(1, 2000);
        final Arbitrary<Byte> values = Arbitraries.bytes().filter(b -> b != 0);
        final Arbitrary<Action> writes = Combinators.combine(offsets, lengths, values)
            .as((offset, length, value) -> new Action(Kind.WRITE, offset, Math.min(length, MAX - offset), value));
        final Arbitrary<Action> mapped = Combinators.combine(offsets, lengths, values)
            .as((offset, length, value) -> new Action(Kind.MAPPED_WRITE, offset, length, value));
        final Arbitrary<Action> rangeForces = Combinators.combine(offsets, lengths)
            .as((offset, length) -> new Action(Kind.RANGE_FORCE, offset, length, (byte)0));
        final Arbitrary<Action> truncates = offsets.map(size -> new Action(Kind.TRUNCATE, size, 0, (byte)0));
        final Arbitrary<Action> allocates = offsets.map(size -> new Action(Kind.ALLOCATE, size, 0, (byte)0));
        final Arbitrary<Action> forces = Arbitraries.just(new Action(Kind.FORCE, 0, 0, (byte)0));
        return Arbitraries.frequencyOf(Tuple.of(4, writes), Tuple.of(3, mapped), Tuple.of(3, rangeForces),
            Tuple.of(2, truncates), Tuple.of(2, allocates), Tuple.of(1, forces)).list().ofMaxSize(20);
    }

    enum Kind
    {
        WRITE, MAPPED_WRITE, RANGE_FORCE, TRUNCATE, ALLOCATE, FORCE
    }

    /** One step; mapped steps map the whole current file and are clipped to it. */
    record Action(Kind kind, int offset, int length, byte value)
    {
        void apply(final FileHandle file, final Model model) throws IOException
        {
            final int size = model.current.length;
            switch (kind)
            {
                case WRITE -> write(file, offset, filled(length, value));
                case TRUNCATE -> file.truncate(offset);
                case ALLOCATE -> file.allocate(offset);
                case FORCE -> file.force();
                default ->
                {
                    try (MappedRegion region = file.map(0, size))
                    {
                        final int from = Math.min(offset, size);
                        final int count = Math.min(length, size - from);
                        if (kind == Kind.MAPPED_WRITE)
                        {
                            region.buffer().setMemory(from, count, value);
                        }
                        else
                        {
                            region.force(from, count);
                        }
                    }
                }
            }
        }
    }

    /** The documented durability rules, written out naively. */
    private static final class Model
    {
        private final List<Integer> pendingLengths = new ArrayList<>();
        private byte[] current;
        private byte[] durable;

        Model(final byte[] content)
        {
            this.current = content.clone();
            this.durable = content.clone();
        }

        void apply(final Action action)
        {
            final int size = current.length;
            final int from = Math.min(action.offset(), size);
            final int count = Math.min(action.length(), size - from);
            switch (action.kind())
            {
                case WRITE ->
                {
                    if (action.offset() + action.length() > size)
                    {
                        current = Arrays.copyOf(current, action.offset() + action.length());
                    }
                    Arrays.fill(current, action.offset(), action.offset() + action.length(), action.value());
                }
                case TRUNCATE ->
                {
                    if (action.offset() < size)
                    {
                        current = Arrays.copyOf(current, action.offset());
                        pendingLengths.add(action.offset());
                    }
                }
                case ALLOCATE ->
                {
                    if (action.offset() > size)
                    {
                        current = Arrays.copyOf(current, action.offset());
                        pendingLengths.add(action.offset());
                    }
                }
                case MAPPED_WRITE -> Arrays.fill(current, from, from + count, action.value());
                case RANGE_FORCE ->
                {
                    int end = Math.min(from + count, durable.length);
                    for (final int length : pendingLengths)
                    {
                        end = Math.min(end, length);
                    }
                    if (from < end)
                    {
                        System.arraycopy(current, from, durable, from, end - from);
                    }
                }
                default ->
                {
                    durable = current.clone();
                    pendingLengths.clear();
                }
            }
        }
    }
}
