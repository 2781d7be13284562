package dev.tidemark.bench;

import dev.tidemark.CorruptionException;
import dev.tidemark.Durability;
import dev.tidemark.wal.RecoveryMode;
import dev.tidemark.wal.WalCursor;
import dev.tidemark.wal.WalOpenReport;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A short tour of the write-ahead log on the real disk: group commit under concurrent SYNC appenders, ASYNC
 * appends, reopening, a torn tail trimmed, and damage to durable data refused until a tolerant mode is chosen.
 * Usage: {@code WalDemo [directory]} (default {@code tidemark-data/wal-demo}; its contents are replaced).
 */
public final class WalDemo
{
    private static final int THREADS = 8;
    private static final int PER_THREAD = 500;
    private static final int ASYNC_RECORDS = 200_000;

    private WalDemo()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path directory = Path.of(args.length > 0 ? args[0] : "tidemark-data/wal-demo").toAbsolutePath();
        BenchFiles.deleteRecursively(directory);
        final WalOptions options = WalOptions.builder(directory).segmentSize(4 << 20).build();
        System.out.println("Tidemark WAL demo in " + directory);

        try (WriteAheadLog wal = WriteAheadLog.open(options))
        {
            syncAppends(wal);
            asyncAppends(wal);
            System.out.printf("  segments: %d, durable LSN %d%n", wal.segmentPaths().size(), wal.durableLsn());
        }

        try (WriteAheadLog wal = WriteAheadLog.open(options); WalCursor cursor = wal.cursor(1))
        {
            report("Reopened after a clean close", wal.openReport());
            long count = 0;
            long bytes = 0;
            final long start = System.nanoTime();
            while (cursor.next())
            {
                count++;
                bytes += cursor.payloadLength();
            }
            System.out.printf("  scanned %,d records (%,d payload bytes, every CRC checked) in %.1f ms%n",
                count, bytes, (System.nanoTime() - start) / 1e6);
        }

        final Path last;
        try (WriteAheadLog wal = WriteAheadLog.open(options))
        {
            final List<Path> segments = wal.segmentPaths();
            last = segments.get(segments.size() - 1);
        }
        poke(last, endOfFrames(last) + 3, "torn!".getBytes(StandardCharsets.US_ASCII));
        try (WriteAheadLog wal = WriteAheadLog.open(options))
        {
            report("Garbage after the last record (a torn tail) is trimmed", wal.openReport());
            wal.append(1, "after the trim".getBytes(StandardCharsets.UTF_8), Durability.SYNC);
            wal.append(1, "one more".getBytes(StandardCharsets.UTF_8), Durability.SYNC);
        }

        poke(last, 64 + 40, new byte[] {(byte)0xFF});
        System.out.println("\nA byte of durable data damaged; the default mode refuses to open:");
        try (WriteAheadLog wal = WriteAheadLog.open(options))
        {
            System.out.println("  UNEXPECTED: the damage was not detected; log ends at LSN " + wal.writtenLsn());
        }
        catch (final CorruptionException ex)
        {
            System.out.println("  CorruptionException: " + ex.getMessage());
        }
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(directory).segmentSize(4 << 20)
            .recoveryMode(RecoveryMode.POINT_IN_TIME).build()))
        {
            report("Opened with RecoveryMode.POINT_IN_TIME (explicit choice to drop the damaged suffix)",
                wal.openReport());
        }
    }

    private static void syncAppends(final WriteAheadLog wal) throws InterruptedException
    {
        final List<Thread> threads = new ArrayList<>();
        final long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++)
        {
            final int id = t;
            final Thread thread = new Thread(() ->
            {
                for (int i = 0; i < PER_THREAD; i++)
                {
                    wal.append(1, ("order " + id + "-" + i).getBytes(StandardCharsets.UTF_8), Durability.SYNC);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %d threads x %d SYNC appends: %,.0f durable appends/s (group commit), durable LSN %d%n",
            THREADS, PER_THREAD, THREADS * PER_THREAD / seconds, wal.durableLsn());
    }

    private static void asyncAppends(final WriteAheadLog wal)
    {
        final byte[] record = new byte[100];
        final long start = System.nanoTime();
        long lsn = 0;
        for (int i = 0; i < ASYNC_RECORDS; i++)
        {
            lsn = wal.append(2, record, Durability.ASYNC);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        wal.awaitDurable(lsn);
        System.out.printf("  1 thread x %,d ASYNC appends of 100 B: %,.0f appends/s; all durable by LSN %d%n",
            ASYNC_RECORDS, ASYNC_RECORDS / seconds, lsn);
    }

    /** Walks the frames of a segment file by their length fields (docs/format/wal.md) to the end of data. */
    private static long endOfFrames(final Path segment) throws IOException
    {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ))
        {
            final ByteBuffer length = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long at = 64;
            while (true)
            {
                length.clear();
                channel.read(length, at);
                final int frameLength = length.getInt(0);
                if (frameLength == 0)
                {
                    return at;
                }
                at += (frameLength + 7) & -8;
            }
        }
    }

    private static void poke(final Path file, final long offset, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private static void report(final String title, final WalOpenReport report)
    {
        System.out.println("\n" + title + ":");
        System.out.printf("  mode %s: %,d records, LSN %d..%d, %d segment(s), %,d torn bytes trimmed%n",
            report.mode(), report.records(), report.firstLsn(), report.lastLsn(), report.segments(),
            report.trimmedBytes());
        for (final String line : report.discarded())
        {
            System.out.println("  discarded: " + line);
        }
    }
}
