package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.createDurable;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.read;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * After any sequence of explicit writes, mapped writes, forces and range forces of one file, and a crash in any
 * mode: every byte holds its durable value or a value a pending write gave it (except in sectors GARBAGE may
 * fill), forced bytes that were not written again hold their forced value, and DROP_ALL shows the durable image.
 */
class CrashModeProperties
{
    private static final int SIZE = 8192;
    private static final Path FILE = DIR.resolve("data");

    @Property(tries = 300)
    void shouldShowOnlyDurableOrPendingBytesAfterAnyCrash(@ForAll("actions") final List<Action> actions,
        @ForAll final CrashMode mode, @ForAll final long seed) throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        createDurable(fs, FILE, new byte[SIZE]);
        final Model model = new Model();
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE); MappedRegion region = file.map(0, SIZE))
        {
            for (final Action action : actions)
            {
                action.apply(file, region);
                action.apply(model);
            }
        }
        assertThat(fs.durableBytes(FILE)).as("durable image of %s", fs).isEqualTo(model.durable);

        final byte[] after = read(fs.crash(mode), FILE);
        assertThat(after).hasSize(SIZE);
        for (int i = 0; i < SIZE; i++)
        {
            final boolean garbageAllowed = mode == CrashMode.GARBAGE && model.sectorTouched(i / Inode.SECTOR);
            if (!garbageAllowed && !model.candidates[i].get(after[i] & 0xFF))
            {
                fail("byte " + i + " is " + after[i] + ", neither durable nor pending, after " + mode + " of "
                    + fs + "\n" + fs.describe());
            }
        }
        if (mode == CrashMode.DROP_ALL)
        {
            assertThat(after).isEqualTo(model.durable);
        }
    }

    @Provide
    Arbitrary<List<Action>> actions()
    {
        final Arbitrary<Integer> offsets = Arbitraries.integers().between(0, SIZE - 1);
        final Arbitrary<Integer> lengths = Arbitraries.integers().between(1, 3000);
        final Arbitrary<Byte> values = Arbitraries.bytes();
        final Arbitrary<Action> writes = Combinators.combine(offsets, lengths, values)
            .as((offset, length, value) -> new Write(offset, Math.min(length, SIZE - offset), value, false));
        final Arbitrary<Action> mappedWrites = Combinators.combine(offsets, lengths, values)
            .as((offset, length, value) -> new Write(offset, Math.min(length, SIZE - offset), value, true));
        final Arbitrary<Action> rangeForces = Combinators.combine(offsets, lengths)
            .as((offset, length) -> new RangeForce(offset, Math.min(length, SIZE - offset)));
        final Arbitrary<Action> forces = Arbitraries.just(new Force());
        return Arbitraries.frequencyOf(Tuple.of(4, writes), Tuple.of(4, mappedWrites), Tuple.of(2, rangeForces),
            Tuple.of(1, forces)).list().ofMaxSize(25);
    }

    /** What may be on disk after a crash, byte by byte. */
    private static final class Model
    {
        private final byte[] current = new byte[SIZE];
        private final byte[] durable = new byte[SIZE];
        private final BitSet[] candidates = new BitSet[SIZE];
        private final boolean[] touched = new boolean[SIZE];

        Model()
        {
            for (int i = 0; i < SIZE; i++)
            {
                candidates[i] = new BitSet(256);
                candidates[i].set(0);
            }
        }

        void write(final int offset, final int length, final byte value)
        {
            for (int i = offset; i < offset + length; i++)
            {
                current[i] = value;
                candidates[i].set(value & 0xFF);
                touched[i] = true;
            }
        }

        void force(final int offset, final int length)
        {
            for (int i = offset; i < offset + length; i++)
            {
                durable[i] = current[i];
                candidates[i].clear();
                candidates[i].set(current[i] & 0xFF);
                touched[i] = false;
            }
        }

        boolean sectorTouched(final int sector)
        {
            for (int i = sector * Inode.SECTOR; i < (sector + 1) * Inode.SECTOR; i++)
            {
                if (touched[i])
                {
                    return true;
                }
            }
            return false;
        }
    }

    interface Action
    {
        void apply(FileHandle file, MappedRegion region) throws IOException;

        void apply(Model model);
    }

    record Write(int offset, int length, byte value, boolean mapped) implements Action
    {
        @Override
        public void apply(final FileHandle file, final MappedRegion region) throws IOException
        {
            if (mapped)
            {
                region.buffer().setMemory(offset, length, value);
            }
            else
            {
                write(file, offset, filled(length, value));
            }
        }

        @Override
        public void apply(final Model model)
        {
            model.write(offset, length, value);
        }
    }

    record RangeForce(int offset, int length) implements Action
    {
        @Override
        public void apply(final FileHandle file, final MappedRegion region) throws IOException
        {
            region.force(offset, length);
        }

        @Override
        public void apply(final Model model)
        {
            model.force(offset, length);
        }
    }

    record Force() implements Action
    {
        @Override
        public void apply(final FileHandle file, final MappedRegion region) throws IOException
        {
            file.force();
        }

        @Override
        public void apply(final Model model)
        {
            model.force(0, SIZE);
        }
    }
}
