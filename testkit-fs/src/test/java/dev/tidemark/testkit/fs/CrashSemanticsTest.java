package dev.tidemark.testkit.fs;

import static dev.tidemark.testkit.fs.SimFiles.DIR;
import static dev.tidemark.testkit.fs.SimFiles.createDurable;
import static dev.tidemark.testkit.fs.SimFiles.filled;
import static dev.tidemark.testkit.fs.SimFiles.read;
import static dev.tidemark.testkit.fs.SimFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo.OpenMode;
import dev.tidemark.io.MappedRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrashSemanticsTest
{
    private static final long SEED = 0xC0FFEEL;
    private static final Path FILE = DIR.resolve("data");

    private final SimulatedFileSystem fs = new SimulatedFileSystem(SEED);

    @Test
    void shouldLoseUnforcedWritesAndUnforcedDirectoryEntriesOnDropAll() throws IOException
    {
        createDurable(fs, FILE, filled(8, 1));
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 0, filled(4, 2));
            write(file, 8, filled(4, 3));
        }
        fs.open(DIR.resolve("unforced"), OpenMode.CREATE).close();

        final SimulatedFileSystem reboot = fs.crash(CrashMode.DROP_ALL);

        assertThat(read(reboot, FILE)).isEqualTo(filled(8, 1));
        assertThat(reboot.list(DIR)).containsExactly(FILE);
        assertThat(reboot.seed()).isNotEqualTo(SEED);
        assertThat(reboot.toString()).contains("generation 1");
    }

    @Test
    void shouldMakeForcedDataDurableButNotItsNameUntilTheDirectoryIsForced() throws IOException
    {
        fs.createDirectories(DIR);
        try (FileHandle file = fs.open(FILE, OpenMode.CREATE_NEW))
        {
            write(file, 0, filled(100, 7));
            file.force();
        }
        assertThat(fs.durableFiles()).isEmpty();
        assertThat(fs.crash(CrashMode.DROP_ALL).exists(FILE)).isFalse();

        final SimulatedFileSystem live = new SimulatedFileSystem(SEED);
        createDurable(live, FILE, filled(100, 7));
        assertThat(live.durableBytes(FILE)).isEqualTo(filled(100, 7));
        assertThat(read(live.crash(CrashMode.DROP_ALL), FILE)).isEqualTo(filled(100, 7));
    }

    @Test
    void shouldKeepRenamesAndDeletionsPendingUntilTheDirectoryIsForced() throws IOException
    {
        createDurable(fs, FILE, filled(3, 1));
        createDurable(fs, DIR.resolve("doomed"), filled(3, 2));
        fs.rename(FILE, DIR.resolve("renamed"));
        fs.delete(DIR.resolve("doomed"));

        final SimulatedFileSystem reboot = fs.crash(CrashMode.DROP_ALL);
        assertThat(reboot.list(DIR)).containsExactly(FILE, DIR.resolve("doomed"));
        assertThat(read(reboot, DIR.resolve("doomed"))).isEqualTo(filled(3, 2));

        reboot.rename(FILE, DIR.resolve("renamed"));
        reboot.delete(DIR.resolve("doomed"));
        reboot.forceDirectory(DIR);
        assertThat(reboot.crash(CrashMode.DROP_ALL).list(DIR)).containsExactly(DIR.resolve("renamed"));
    }

    @Test
    void shouldTreatARenameAcrossDirectoriesAsAnUnlinkAndALink() throws IOException
    {
        createDurable(fs, FILE, filled(3, 1));
        fs.createDirectories(DIR.resolve("other"));
        final Path target = DIR.resolve("other/moved");
        fs.rename(FILE, target);
        fs.forceDirectory(target.getParent());

        final SimulatedFileSystem reboot = fs.crash(CrashMode.DROP_ALL);
        assertThat(reboot.exists(FILE)).isTrue();
        assertThat(reboot.exists(target)).isTrue();
        try (FileHandle file = reboot.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 0, new byte[] {9});
        }
        assertThat(read(reboot, target)).startsWith(9);
    }

    @Test
    void shouldKeepWritesThroughAMappingPendingUntilARangeForceCoversThem() throws IOException
    {
        createDurable(fs, FILE, new byte[4096]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE); MappedRegion region = file.map(0, 4096))
        {
            region.buffer().setMemory(0, 1024, (byte)5);
            region.buffer().setMemory(2048, 1024, (byte)6);
            region.force(0, 1024);
        }
        final byte[] expected = new byte[4096];
        Arrays.fill(expected, 0, 1024, (byte)5);

        assertThat(fs.durableBytes(FILE)).isEqualTo(expected);
        assertThat(read(fs.crash(CrashMode.DROP_ALL), FILE)).isEqualTo(expected);
    }

    @Test
    void shouldMakeExplicitWritesInsideAForcedMappingRangeDurableAndSplitThoseAcrossItsEdge() throws IOException
    {
        createDurable(fs, FILE, new byte[4096]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE); MappedRegion region = file.map(1024, 1024))
        {
            write(file, 1500, filled(100, 1));
            write(file, 1900, filled(300, 2));
            write(file, 3000, filled(10, 3));
            region.force(0, 1024);
        }
        final byte[] expected = new byte[4096];
        Arrays.fill(expected, 1500, 1600, (byte)1);
        Arrays.fill(expected, 1900, 2048, (byte)2);

        assertThat(fs.durableBytes(FILE)).isEqualTo(expected);
    }

    @Test
    void shouldNotMakeMappedDataBeyondTheDurableLengthDurable() throws IOException
    {
        createDurable(fs, FILE, new byte[0]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            file.allocate(4096);
            try (MappedRegion region = file.map(0, 4096))
            {
                region.buffer().setMemory(0, 4096, (byte)1);
                region.force(0, 4096);
            }
        }
        assertThat(read(fs.crash(CrashMode.DROP_ALL), FILE)).isEmpty();
    }

    @Test
    void shouldWriteBackTheMappedSectorsThatChangedAsPendingWrites() throws IOException
    {
        createDurable(fs, FILE, new byte[4096]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE); MappedRegion region = file.map(0, 4096))
        {
            region.buffer().putByte(700, (byte)1);
            region.buffer().putByte(3000, (byte)2);
        }
        final Set<String> outcomes = new HashSet<>();
        for (long crashSeed = 0; crashSeed < 64; crashSeed++)
        {
            final byte[] after = read(fs.crash(CrashMode.RANDOM_PREFIX, crashSeed), FILE);
            outcomes.add(after[700] + "," + after[3000]);
        }
        // sectors are written back in ascending offset order: the second never without the first
        assertThat(outcomes).containsExactlyInAnyOrder("0,0", "1,0", "1,2");
    }

    @Test
    void shouldReorderOnlyUnderRandomSubset() throws IOException
    {
        createDurable(fs, FILE, new byte[1024]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 0, filled(512, 1));
            write(file, 512, filled(512, 2));
        }
        final Set<String> prefixes = new HashSet<>();
        final Set<String> subsets = new HashSet<>();
        for (long crashSeed = 0; crashSeed < 64; crashSeed++)
        {
            final byte[] prefix = read(fs.crash(CrashMode.RANDOM_PREFIX, crashSeed), FILE);
            prefixes.add(prefix[0] + "," + prefix[512]);
            final byte[] subset = read(fs.crash(CrashMode.RANDOM_SUBSET, crashSeed), FILE);
            subsets.add(subset[0] + "," + subset[512]);
        }
        assertThat(prefixes).containsExactlyInAnyOrder("0,0", "1,0", "1,2");
        assertThat(subsets).containsExactlyInAnyOrder("0,0", "1,0", "1,2", "0,2");
    }

    @Test
    void shouldTearThePendingWriteAtSectorBoundaries() throws IOException
    {
        createDurable(fs, FILE, new byte[4096]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 0, filled(4096, 0x55));
        }
        final Set<Integer> survivingSectors = new HashSet<>();
        for (long crashSeed = 0; crashSeed < 200; crashSeed++)
        {
            final byte[] after = read(fs.crash(CrashMode.TORN_512, crashSeed), FILE);
            int prefix = 0;
            while (prefix < after.length && after[prefix] == 0x55)
            {
                prefix++;
            }
            assertThat(prefix % 512).isZero();
            assertThat(Arrays.copyOfRange(after, prefix, after.length)).isEqualTo(new byte[after.length - prefix]);
            survivingSectors.add(prefix / 512);
        }
        // a prefix of the pending writes (here: none or the one) survives, then the next write is torn
        assertThat(survivingSectors).contains(1, 4, 7, 8).allMatch(n -> n >= 1 && n <= 8);
    }

    @Test
    void shouldTearAt4KiBBoundariesOfTheFileOffset() throws IOException
    {
        createDurable(fs, FILE, new byte[3 * 4096]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 1000, filled(10_000, 0x55));
        }
        final Set<Integer> ends = new HashSet<>();
        for (long crashSeed = 0; crashSeed < 200; crashSeed++)
        {
            final byte[] after = read(fs.crash(CrashMode.TORN_4K, crashSeed), FILE);
            int end = 1000;
            while (end < after.length && after[end] == 0x55)
            {
                end++;
            }
            ends.add(end);
        }
        assertThat(ends).containsExactlyInAnyOrder(4096, 8192, 11_000);
    }

    @Test
    void shouldFillLostSectorsWithGarbageAndLeaveOthersAlone() throws IOException
    {
        createDurable(fs, FILE, new byte[4096]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 600, filled(500, 0x55));
        }
        boolean sawGarbage = false;
        for (long crashSeed = 0; crashSeed < 32; crashSeed++)
        {
            final byte[] after = read(fs.crash(CrashMode.GARBAGE, crashSeed), FILE);
            assertThat(Arrays.copyOfRange(after, 0, 512)).containsOnly(0);
            assertThat(Arrays.copyOfRange(after, 1536, 4096)).containsOnly(0);
            final byte[] written = Arrays.copyOfRange(after, 600, 1100);
            sawGarbage |= !Arrays.equals(written, filled(500, 0x55));
        }
        assertThat(sawGarbage).isTrue();
    }

    @Test
    void shouldKeepAPrefixOfEachDirectorysPendingEntries() throws IOException
    {
        fs.createDirectories(DIR);
        for (final String name : List.of("a", "b", "c"))
        {
            fs.open(DIR.resolve(name), OpenMode.CREATE).close();
        }
        final Set<List<Path>> outcomes = new HashSet<>();
        for (long crashSeed = 0; crashSeed < 64; crashSeed++)
        {
            outcomes.add(fs.crash(CrashMode.GARBAGE, crashSeed).list(DIR));
        }
        assertThat(outcomes).containsExactlyInAnyOrder(List.of(), List.of(DIR.resolve("a")),
            List.of(DIR.resolve("a"), DIR.resolve("b")), List.of(DIR.resolve("a"), DIR.resolve("b"),
                DIR.resolve("c")));
        assertThat(fs.crash(CrashMode.DROP_ALL).list(DIR)).isEmpty();
    }

    @Test
    void shouldReproduceTheSameImageFromTheSameSeed() throws IOException
    {
        final SimulatedFileSystem first = workloadThenHalt(7);
        final SimulatedFileSystem second = workloadThenHalt(7);
        for (final CrashMode mode : CrashMode.values())
        {
            final SimulatedFileSystem a = first.crash(mode);
            final SimulatedFileSystem b = second.crash(mode);
            assertThat(a.seed()).isEqualTo(b.seed());
            assertThat(a.list(DIR)).isEqualTo(b.list(DIR));
            for (final Path file : a.list(DIR))
            {
                assertThat(read(a, file)).isEqualTo(read(b, file));
            }
        }
    }

    @Test
    void shouldFreezeTheCrashedInstanceItsHandlesAndItsMappings() throws IOException
    {
        createDurable(fs, FILE, new byte[512]);
        final FileHandle file = fs.open(FILE, OpenMode.READ_WRITE);
        final MappedRegion region = file.map(0, 512);
        final SimulatedFileSystem reboot = fs.crash(CrashMode.DROP_ALL);

        assertThat(fs.isHalted()).isTrue();
        assertThatThrownBy(() -> write(file, 0, new byte[1])).isInstanceOf(SimulatedCrashException.class)
            .hasMessageContaining("seed=" + SEED);
        assertThatThrownBy(() -> file.read(ByteBuffer.allocate(1), 0)).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> region.force(0, 1)).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> fs.list(DIR)).isInstanceOf(SimulatedCrashException.class);
        assertThatThrownBy(() -> fs.exists(DIR)).isInstanceOf(UncheckedIOException.class)
            .hasCauseInstanceOf(SimulatedCrashException.class);
        region.buffer().putByte(0, (byte)1);
        region.close();
        file.close();
        assertThat(read(reboot, FILE)).containsOnly(0);
        assertThatThrownBy(() -> fs.corruptByte(FILE, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldShowCorruptedDurableBytesAfterAReboot() throws IOException
    {
        createDurable(fs, FILE, new byte[16]);
        final SimulatedFileSystem reboot = fs.crash(CrashMode.DROP_ALL);
        reboot.corruptByte(FILE, 3, 0xFF);
        assertThat(read(reboot, FILE)[3]).isEqualTo((byte)0xFF);
        assertThat(reboot.durableBytes(FILE)[3]).isEqualTo((byte)0xFF);
        assertThat(read(reboot.crash(CrashMode.DROP_ALL), FILE)[3]).isEqualTo((byte)0xFF);
    }

    @Test
    void shouldDropDataWhoseForceFailedUnderLinuxSemantics() throws IOException
    {
        createDurable(fs, FILE, new byte[8]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 0, filled(4, 1));
            fs.faults().failOnce(OpKind.FORCE, fs.faults().operationCount(OpKind.FORCE) + 1);
            assertThatThrownBy(file::force).isInstanceOf(InjectedFaultException.class);
            write(file, 6, filled(2, 2));
            file.force();
        }
        assertThat(read(fs, FILE)).containsExactly(1, 1, 1, 1, 0, 0, 2, 2);
        assertThat(fs.durableBytes(FILE)).containsExactly(0, 0, 0, 0, 0, 0, 2, 2);
        assertThat(read(fs.crash(CrashMode.RANDOM_PREFIX), FILE)).containsExactly(0, 0, 0, 0, 0, 0, 2, 2);
    }

    @Test
    void shouldDropMappedDataWhoseRangeForceFailedUnderLinuxSemantics() throws IOException
    {
        createDurable(fs, FILE, new byte[2048]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE); MappedRegion region = file.map(0, 2048))
        {
            region.buffer().setMemory(0, 2048, (byte)1);
            fs.faults().failOnce(OpKind.MAP_FORCE, 1);
            assertThatThrownBy(() -> region.force(0, 1024)).isInstanceOf(InjectedFaultException.class);
            file.force();
        }
        final byte[] expected = new byte[2048];
        Arrays.fill(expected, 1024, 2048, (byte)1);
        assertThat(fs.durableBytes(FILE)).isEqualTo(expected);
    }

    @Test
    void shouldKeepDataWhoseForceFailedPendingWhenConfiguredSo() throws IOException
    {
        final SimulatedFileSystem keeping = SimulatedFileSystem.builder(SEED).failedForce(FailedForce.KEEP_PENDING)
            .build();
        createDurable(keeping, FILE, new byte[4]);
        try (FileHandle file = keeping.open(FILE, OpenMode.READ_WRITE))
        {
            write(file, 0, filled(4, 1));
            keeping.faults().failOnce(OpKind.FORCE, keeping.faults().operationCount(OpKind.FORCE) + 1);
            assertThatThrownBy(file::force).isInstanceOf(InjectedFaultException.class);
            assertThat(keeping.durableBytes(FILE)).containsOnly(0);
            file.force();
        }
        assertThat(keeping.durableBytes(FILE)).containsOnly(1);
    }

    private static SimulatedFileSystem workloadThenHalt(final long seed) throws IOException
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        createDurable(fs, FILE, new byte[8192]);
        try (FileHandle file = fs.open(FILE, OpenMode.READ_WRITE); MappedRegion region = file.map(0, 8192))
        {
            for (int i = 0; i < 8; i++)
            {
                write(file, i * 700L, filled(900, i + 1));
                region.buffer().setMemory(i * 1000 + 100, 300, (byte)(i + 20));
            }
            region.force(2000, 1000);
        }
        for (int i = 0; i < 4; i++)
        {
            fs.open(DIR.resolve("f" + i), OpenMode.CREATE).close();
        }
        fs.halt();
        return fs;
    }
}
