package dev.tidemark.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidemark.CorruptionException;
import dev.tidemark.Durability;
import dev.tidemark.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest
{
    @TempDir
    Path dir;

    private WalOptions.Builder options()
    {
        return WalOptions.builder(dir).segmentSize(64 << 10);
    }

    private static byte[] payload(final long i, final int size)
    {
        final byte[] bytes = new byte[size];
        for (int j = 0; j < size; j++)
        {
            bytes[j] = (byte)(i * 31 + j);
        }
        return bytes;
    }

    @Test
    void shouldAssignDenseLsnsAndReadRecordsBackAfterReopen()
    {
        final List<byte[]> written = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            for (int i = 0; i < 3000; i++)
            {
                final byte[] bytes = payload(i, i % 300);
                written.add(bytes);
                final long lsn = wal.append(i % 7, bytes, i % 3 == 0 ? Durability.SYNC : Durability.NONE);
                assertThat(lsn).isEqualTo(i + 1);
            }
            wal.flush();
            assertThat(wal.durableLsn()).isEqualTo(3000);
            assertThat(wal.segmentPaths()).hasSizeGreaterThan(3);
        }
        try (WriteAheadLog wal = WriteAheadLog.open(options().build());
             WalCursor cursor = wal.cursor(1))
        {
            assertThat(wal.openReport().records()).isEqualTo(3000);
            for (int i = 0; i < 3000; i++)
            {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.lsn()).isEqualTo(i + 1);
                assertThat(cursor.type()).isEqualTo(i % 7);
                assertThat(cursor.payloadBytes()).isEqualTo(written.get(i));
            }
            assertThat(cursor.next()).isFalse();
            assertThat(wal.append(1, new byte[] {1}, Durability.SYNC)).isEqualTo(3001);
        }
    }

    @Test
    void shouldSeekToAnyLsn()
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            for (int i = 0; i < 5000; i++)
            {
                wal.append(0, payload(i, 20), Durability.NONE);
            }
            wal.flush();
            try (WalCursor cursor = wal.cursor(1))
            {
                for (long lsn = 5000; lsn >= 1; lsn -= 37)
                {
                    cursor.seek(lsn);
                    assertThat(cursor.next()).isTrue();
                    assertThat(cursor.lsn()).isEqualTo(lsn);
                    assertThat(cursor.payloadBytes()).isEqualTo(payload(lsn - 1, 20));
                }
            }
        }
    }

    @Test
    void shouldWriteRecordsLargerThanASegment()
    {
        final byte[] big = payload(7, 17 << 20);
        try (WriteAheadLog wal = WriteAheadLog.open(options().maxRecordSize(32 << 20).build()))
        {
            wal.append(1, new byte[10], Durability.NONE);
            assertThat(wal.append(2, big, Durability.SYNC)).isEqualTo(2);
            wal.append(3, new byte[10], Durability.SYNC);
        }
        try (WriteAheadLog wal = WriteAheadLog.open(options().maxRecordSize(32 << 20).build());
             WalCursor cursor = wal.cursor(2))
        {
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.payloadBytes()).isEqualTo(big);
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.lsn()).isEqualTo(3);
        }
    }

    @Test
    void shouldForceALargeUnforcedRecordWhenAsked()
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().maxRecordSize(4 << 20).build()))
        {
            final long lsn = wal.append(1, payload(3, 3 << 20), Durability.NONE);
            assertThat(wal.awaitDurable(lsn, 30, TimeUnit.SECONDS)).as("a flush covers a record written directly")
                .isTrue();
            assertThat(wal.durableLsn()).isEqualTo(lsn);
        }
    }

    @Test
    void shouldKeepLsnsUniqueAndDenseUnderSixteenAppenders() throws Exception
    {
        final int threads = 16;
        final int perThread = 2000;
        final ConcurrentHashMap<Long, String> byLsn = new ConcurrentHashMap<>();
        try (WriteAheadLog wal = WriteAheadLog.open(options().segmentSize(1 << 20).build()))
        {
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int id = t;
                final Thread worker = new Thread(() ->
                {
                    try
                    {
                        start.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        return;
                    }
                    for (int i = 0; i < perThread; i++)
                    {
                        final String text = id + ":" + i;
                        final Durability durability = Durability.values()[i % 3];
                        final long lsn = wal.append(id, text.getBytes(StandardCharsets.UTF_8), durability);
                        assertThat(byLsn.put(lsn, text)).isNull();
                    }
                });
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (final Thread worker : workers)
            {
                worker.join();
            }
            wal.flush();
            assertThat(byLsn.keySet()).hasSize(threads * perThread);
            assertThat(byLsn.keySet().stream().mapToLong(Long::longValue).max().getAsLong())
                .isEqualTo(threads * perThread);
            try (WalCursor cursor = wal.cursor(1))
            {
                long expected = 1;
                while (cursor.next())
                {
                    assertThat(cursor.lsn()).isEqualTo(expected++);
                    assertThat(new String(cursor.payloadBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(byLsn.get(cursor.lsn()));
                }
                assertThat(expected - 1).isEqualTo(threads * perThread);
            }
        }
    }

    @Test
    void shouldFollowDurableAppendsWithALiveTail() throws Exception
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build());
             WalCursor tail = wal.tail(1))
        {
            assertThat(tail.next()).isFalse();
            final Thread writer = new Thread(() ->
            {
                for (int i = 0; i < 100; i++)
                {
                    wal.append(0, payload(i, 10), Durability.ASYNC);
                }
            });
            writer.start();
            long seen = 0;
            while (seen < 100)
            {
                if (tail.next())
                {
                    assertThat(tail.lsn()).isEqualTo(++seen);
                    assertThat(tail.lsn()).isLessThanOrEqualTo(wal.durableLsn());
                }
                else
                {
                    tail.awaitNext(1, TimeUnit.SECONDS);
                }
            }
            writer.join();
        }
    }

    @Test
    void shouldTrimATornTailAndRejectDamageBeforeIt() throws IOException
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            for (int i = 0; i < 10; i++)
            {
                wal.append(0, payload(i, 100), Durability.SYNC);
            }
        }
        final Path segment = onlySegment();
        final long frame = SegmentDescriptor.HEADER_LENGTH + 9L * FrameDescriptor.alignedFrameLength(100);
        // a torn last record: half its payload garbage
        writeBytes(segment, frame + 60, new byte[] {1, 2, 3, 4});
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            assertThat(wal.openReport().lastLsn()).isEqualTo(9);
            assertThat(wal.openReport().trimmedBytes()).isPositive();
            assertThat(wal.append(0, payload(100, 100), Durability.SYNC)).isEqualTo(10);
            wal.append(0, payload(101, 100), Durability.SYNC);
        }
        // damage record 3 of 11: record 11's durable hint proves it was durable
        final long third = SegmentDescriptor.HEADER_LENGTH + 2L * FrameDescriptor.alignedFrameLength(100);
        writeBytes(segment, third + 40, new byte[] {9});
        assertThatThrownBy(() -> WriteAheadLog.open(options().build()))
            .isInstanceOf(CorruptionException.class)
            .hasMessageContaining(segment.getFileName().toString())
            .hasMessageContaining("offset " + third)
            .satisfies(ex -> assertThat(((CorruptionException)ex).offset()).isEqualTo(third));
        try (WriteAheadLog wal = WriteAheadLog.open(options().recoveryMode(RecoveryMode.POINT_IN_TIME).build()))
        {
            assertThat(wal.openReport().lastLsn()).isEqualTo(2);
            assertThat(wal.openReport().discarded()).hasSize(1);
        }
    }

    @Test
    void shouldSkipDamagedRecordsOnlyWhenAskedTo() throws IOException
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            for (int i = 0; i < 10; i++)
            {
                wal.append(0, payload(i, 100), Durability.SYNC);
            }
        }
        final long fourth = SegmentDescriptor.HEADER_LENGTH + 3L * FrameDescriptor.alignedFrameLength(100);
        writeBytes(onlySegment(), fourth + 50, new byte[] {9});
        assertThatThrownBy(() -> WriteAheadLog.open(options().recoveryMode(RecoveryMode.ABSOLUTE_CONSISTENCY).build()))
            .isInstanceOf(CorruptionException.class);
        try (WriteAheadLog wal = WriteAheadLog.open(options().recoveryMode(RecoveryMode.SKIP_CORRUPTED).build());
             WalCursor cursor = wal.cursor(1))
        {
            final List<Long> lsns = new ArrayList<>();
            while (cursor.next())
            {
                lsns.add(cursor.lsn());
            }
            assertThat(lsns).containsExactly(1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(wal.openReport().discarded()).singleElement().asString().contains("4..4");
        }
    }

    @Test
    void shouldSkipADamagedLastFrameOfASegmentThatHasASuccessor() throws IOException
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            for (int i = 0; i < 100; i++)
            {
                wal.append(0, payload(i, 1000), Durability.SYNC);
            }
            assertThat(wal.segmentPaths()).hasSizeGreaterThan(1);
        }
        final Path first = onlySegment();
        long lastFrame = SegmentDescriptor.HEADER_LENGTH;
        long framesInFirst = 0;
        try (FileChannel channel = FileChannel.open(first, StandardOpenOption.READ))
        {
            final ByteBuffer length = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long at = SegmentDescriptor.HEADER_LENGTH;
            while (at + FrameDescriptor.HEADER_LENGTH <= channel.size())
            {
                length.clear();
                channel.read(length, at);
                if (length.getInt(0) == 0)
                {
                    break;
                }
                lastFrame = at;
                framesInFirst++;
                at += FrameDescriptor.alignedLength(length.getInt(0));
            }
        }
        writeBytes(first, lastFrame + FrameDescriptor.HEADER_LENGTH + 10, new byte[] {42});
        final long damaged = lastFrame;
        final long damagedLsn = framesInFirst;
        assertThatThrownBy(() -> WriteAheadLog.open(options().build())).isInstanceOf(CorruptionException.class)
            .satisfies(ex -> assertThat(((CorruptionException)ex).offset()).isEqualTo(damaged));
        try (WriteAheadLog wal = WriteAheadLog.open(options().recoveryMode(RecoveryMode.SKIP_CORRUPTED).build());
             WalCursor cursor = wal.cursor(1))
        {
            final List<Long> lsns = new ArrayList<>();
            while (cursor.next())
            {
                lsns.add(cursor.lsn());
            }
            assertThat(lsns).hasSize(99).doesNotContain(damagedLsn);
        }
    }

    @Test
    void shouldRefuseAnUnknownFormatVersion() throws IOException
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            wal.append(0, new byte[4], Durability.SYNC);
        }
        writeBytes(onlySegment(), SegmentDescriptor.VERSION_OFFSET, new byte[] {99, 0});
        assertThatThrownBy(() -> WriteAheadLog.open(options().build()))
            .isInstanceOf(UnsupportedFormatException.class)
            .hasMessageContaining("version 99");
    }

    @Test
    void shouldRetireOnlyWholeSegmentsBelowTheRetentionLsn()
    {
        final List<String> archived = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(options()
            .archiver((path, first, last) -> archived.add(first + "-" + last)).build()))
        {
            for (int i = 0; i < 2000; i++)
            {
                wal.append(0, payload(i, 100), Durability.NONE);
            }
            wal.flush();
            final int before = wal.segmentPaths().size();
            final long retention = 1000;
            // the archive hook runs in the background: a segment it has not taken yet is kept
            int retired = wal.retireBelow(retention);
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (retired == 0 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
                retired = wal.retireBelow(retention);
            }
            assertThat(retired).isPositive();
            assertThat(wal.segmentPaths()).hasSize(before - retired);
            assertThat(wal.firstLsn()).isLessThanOrEqualTo(retention);
            try (WalCursor cursor = wal.cursor(retention))
            {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.lsn()).isEqualTo(retention);
            }
        }
        assertThat(archived).isNotEmpty();
    }

    @Test
    void shouldKeepWhatAHoldHoldsUntilItIsClosed()
    {
        try (WriteAheadLog wal = WriteAheadLog.open(options().build()))
        {
            for (int i = 0; i < 2000; i++)
            {
                wal.append(0, payload(i, 100), Durability.NONE);
            }
            wal.flush();
            final int segments = wal.segmentPaths().size();
            assertThat(segments).isGreaterThan(2);
            final LogHold hold = wal.hold(wal.firstLsn());
            assertThat(wal.retireBelow(1500)).as("held from the first record").isZero();
            assertThat(wal.segmentPaths()).hasSize(segments);
            hold.close();
            hold.close();
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            int retired = wal.retireBelow(1500);
            while (retired == 0 && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
                retired = wal.retireBelow(1500);
            }
            assertThat(retired).as("released").isPositive();
            final long first = wal.firstLsn();
            assertThatThrownBy(() -> wal.hold(first - 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retired");
        }
    }

    @Test
    void shouldStopItsThreadsOnClose()
    {
        WriteAheadLog.open(options().build()).close();
        assertThat(Thread.getAllStackTraces().keySet())
            .noneMatch(t -> t.getName().startsWith("tidemark-wal") && t.isAlive());
    }

    private Path onlySegment() throws IOException
    {
        try (var files = Files.list(dir))
        {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().findFirst().orElseThrow();
        }
    }

    private static void writeBytes(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }
}
