package dev.tidemark.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.CorruptionException;
import dev.tidemark.Durability;
import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Crash properties of the WAL on the simulated file system (TESTING.md): random appends (0 B to several MiB, all
 * durabilities, several threads), forces, segment rolls, retirements and crashes in every mode; every reopen
 * yields a dense LSN run with identical bytes that holds every record acknowledged durable, and never returns
 * garbage as a record. Damage inside forced data is reported, never skipped, unless a tolerant mode is chosen.
 */
class WalCrashProperties
{
    sealed interface Step permits Append, Flush, Retire, Crash, Reopen
    {
    }

    record Append(int threads, int count, long seed) implements Step
    {
    }

    record Flush() implements Step
    {
    }

    record Retire(int percent) implements Step
    {
    }

    record Crash(CrashMode mode, long seed) implements Step
    {
    }

    record Reopen() implements Step
    {
    }

    @Provide
    Arbitrary<List<Step>> steps()
    {
        final Arbitrary<Step> append = Combinators.combine(Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(1, 25), Arbitraries.longs()).as(Append::new);
        final Arbitrary<Step> crash = Combinators.combine(Arbitraries.of(CrashMode.class), Arbitraries.longs())
            .as(Crash::new);
        final Arbitrary<Step> step = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, append),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(new Flush())),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 100).map(Retire::new)),
            net.jqwik.api.Tuple.of(3, crash),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())));
        return step.list().ofMinSize(1).ofMaxSize(12);
    }

    private static WalOptions options(final SimulatedFileSystem fs)
    {
        return WalOptions.builder(WalWorkload.DIR).fileIo(fs).segmentSize(64 << 10).maxRecordSize(3 << 20)
            .ringSize(64).build();
    }

    @Property(tries = 1_000)
    void reopenYieldsADenseDurablePrefixWithIdenticalBytes(
        @ForAll("steps") final List<Step> steps, @ForAll final long seed) throws Exception
    {
        crashAndReopen(steps, seed);
    }

    @Property(tries = 5_000)
    @Tag("stress")
    void reopenYieldsADenseDurablePrefixWithIdenticalBytesStress(
        @ForAll("steps") final List<Step> steps, @ForAll final long seed) throws Exception
    {
        crashAndReopen(steps, seed);
    }

    private void crashAndReopen(final List<Step> steps, final long seed) throws Exception
    {
        SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        final WalWorkload workload = new WalWorkload();
        WriteAheadLog wal = WriteAheadLog.open(options(fs));
        final List<String> trail = new ArrayList<>();
        try
        {
            for (final Step step : steps)
            {
                trail.add(step.toString());
                final String context = "after " + trail + " on " + fs.describe();
                if (step instanceof Append a)
                {
                    assertThat(workload.appendConcurrently(wal, a.threads(), a.count(), a.seed(), 3 << 20))
                        .as("appends on a healthy log %s", context).isEmpty();
                }
                else if (step instanceof Flush)
                {
                    workload.flush(wal);
                }
                else if (step instanceof Retire r)
                {
                    workload.retire(wal, workload.durableWatermark() * r.percent() / 100);
                }
                else if (step instanceof Crash c)
                {
                    workload.observeDurable(wal);
                    final SimulatedFileSystem rebooted = fs.crash(c.mode(), c.seed());
                    wal.close();
                    fs = rebooted;
                    wal = WriteAheadLog.open(options(fs));
                    workload.verify(wal, context);
                }
                else
                {
                    wal.close();
                    wal = WriteAheadLog.open(options(fs));
                    workload.verify(wal, context);
                }
            }
            workload.observeDurable(wal);
            final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, seed);
            wal.close();
            fs = rebooted;
            wal = WriteAheadLog.open(options(fs));
            workload.verify(wal, "final crash after " + trail + " on " + fs.describe());
        }
        finally
        {
            wal.close();
        }
        assertThat(fs.openHandleCount()).as("file handles left open by close()").isZero();
        assertThat(fs.openMappingCount()).as("mappings left by close()").isZero();
    }

    @Property(tries = 200)
    void damageInsideForcedDataIsReportedNeverSkipped(
        @ForAll @IntRange(min = 3, max = 60) final int records, @ForAll final long seed,
        @ForAll @Size(min = 1, max = 1) final List<@IntRange(min = 0, max = 1_000_000) Integer> where)
    {
        damageAndReopen(records, seed, where);
    }

    @Property(tries = 2_000)
    @Tag("stress")
    void damageInsideForcedDataIsReportedNeverSkippedStress(
        @ForAll @IntRange(min = 3, max = 60) final int records, @ForAll final long seed,
        @ForAll @Size(min = 1, max = 1) final List<@IntRange(min = 0, max = 1_000_000) Integer> where)
    {
        damageAndReopen(records, seed, where);
    }

    private void damageAndReopen(final int records, final long seed, final List<Integer> where)
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        final List<Path> segments;
        try (WriteAheadLog wal = WriteAheadLog.open(options(fs)))
        {
            for (int id = 1; id <= records; id++)
            {
                wal.append(id, WalWorkload.payload(id, 40 + id * 37 % 3000), Durability.SYNC);
            }
            segments = wal.segmentPaths();
        }
        final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, seed);
        // every record but the last is covered by the durable hint of the frame after it
        final List<long[]> frames = frames(rebooted, segments);
        final long[] victim = frames.get(where.get(0) % (frames.size() - 1));
        final int segmentIndex = (int)victim[0];
        final long offset = victim[1] + where.get(0) % victim[2];
        rebooted.corruptByte(segments.get(segmentIndex), offset, 0x10);

        assertThatThrownBy(() -> WriteAheadLog.open(options(rebooted)).close())
            .as("damage at %s offset %d of %s", segments.get(segmentIndex), offset, rebooted.describe())
            .isInstanceOf(CorruptionException.class)
            .satisfies(ex -> assertThat(((CorruptionException)ex).file()).isEqualTo(segments.get(segmentIndex)));

        final long damagedLsn = victim[3];
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(WalWorkload.DIR).fileIo(rebooted)
            .segmentSize(64 << 10).recoveryMode(RecoveryMode.SKIP_CORRUPTED).build());
             WalCursor cursor = wal.cursor(1))
        {
            final List<Long> seen = new ArrayList<>();
            while (cursor.next())
            {
                seen.add(cursor.lsn());
                assertThat(cursor.payloadBytes()).isEqualTo(
                    WalWorkload.payload(cursor.type(), 40 + cursor.type() * 37 % 3000));
            }
            assertThat(seen).doesNotContain(damagedLsn).hasSize(records - 1);
        }
    }

    /** @return {segment number, frame offset, frame length, LSN} for every frame in the durable images. */
    private static List<long[]> frames(final SimulatedFileSystem fs, final List<Path> segments)
    {
        final List<long[]> frames = new ArrayList<>();
        for (int s = 0; s < segments.size(); s++)
        {
            final ByteBuffer bytes = ByteBuffer.wrap(fs.durableBytes(segments.get(s))).order(ByteOrder.LITTLE_ENDIAN);
            int at = SegmentDescriptor.HEADER_LENGTH;
            while (at + FrameDescriptor.HEADER_LENGTH <= bytes.capacity() && bytes.getInt(at) != 0)
            {
                final int length = bytes.getInt(at);
                frames.add(new long[] {s, at, length, bytes.getLong(at + FrameDescriptor.LSN_OFFSET)});
                at += FrameDescriptor.alignedLength(length);
            }
        }
        return frames;
    }
}
