package dev.tidemark.mvcc;

import dev.tidemark.testkit.fs.SimulatedFileSystem;
import dev.tidemark.wal.WalCursor;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An {@link MvccStore} and its {@link WriteAheadLog} on a {@link SimulatedFileSystem}, with a
 * {@link TestCommitTable}; reopens both cleanly and checks the WAL rule on every page write. Plus the helpers the
 * B+tree tests share: scans into lists, entry descriptions, the log records after an LSN.
 */
final class TreeStoreFixture implements AutoCloseable
{
    static final int PAGE_SIZE = 4096;
    static final Path FILE = Path.of("/db/pages.tm");
    static final Path WAL_DIR = Path.of("/db/wal");

    final SimulatedFileSystem fs;
    final TestCommitTable commits = new TestCommitTable();
    final WatchedFileIo io;
    final MvccStoreOptions options;
    final WalOptions walOptions;
    WriteAheadLog wal;
    MvccStore store;

    private TreeStoreFixture(final long seed, final int frames, final Duration gcInterval)
    {
        fs = new SimulatedFileSystem(seed);
        try
        {
            fs.createDirectories(FILE.getParent());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        io = new WatchedFileIo(fs, new LogForce()
        {
            @Override
            public long durableLsn()
            {
                return wal.durableLsn();
            }

            @Override
            public void awaitDurable(final long lsn)
            {
                wal.awaitDurable(lsn);
            }
        }, PAGE_SIZE);
        options = MvccStoreOptions.builder(PageStoreOptions.builder(FILE).fileIo(io).pageSize(PAGE_SIZE)
            .bufferPoolBytes((long)frames * PAGE_SIZE).extentPages(16).doublewriteSlots(8).build())
            .gcInterval(gcInterval).build();
        walOptions = WalOptions.builder(WAL_DIR).fileIo(fs).segmentSize(8 << 20).maxRecordSize(1 << 20).build();
    }

    /** @return an open store with {@code frames} buffer frames of 4 KiB and no background collector */
    static TreeStoreFixture open(final long seed, final int frames)
    {
        return open(seed, frames, Duration.ZERO);
    }

    static TreeStoreFixture open(final long seed, final int frames, final Duration gcInterval)
    {
        final TreeStoreFixture fixture = new TreeStoreFixture(seed, frames, gcInterval);
        fixture.start();
        return fixture;
    }

    void start()
    {
        wal = WriteAheadLog.open(walOptions);
        try
        {
            store = MvccStore.open(options, wal, commits);
        }
        catch (final RuntimeException ex)
        {
            wal.close();
            throw ex;
        }
    }

    /** Closes the store and the log cleanly. */
    void stop()
    {
        try
        {
            if (store != null)
            {
                store.close();
            }
        }
        finally
        {
            store = null;
            if (wal != null)
            {
                wal.close();
            }
        }
    }

    void reopen()
    {
        stop();
        start();
    }

    @Override
    public void close()
    {
        stop();
    }

    /** Closes; a failure to close is added to {@code failure} when there is one, else thrown. */
    void close(final Throwable failure)
    {
        try
        {
            stop();
        }
        catch (final RuntimeException ex)
        {
            if (failure == null)
            {
                throw ex;
            }
            failure.addSuppressed(ex);
        }
    }

    /** @return the records of the log from {@code fromLsn} on, after forcing everything appended */
    List<LogRecord> records(final long fromLsn)
    {
        wal.flush();
        final List<LogRecord> records = new ArrayList<>();
        try (WalCursor cursor = wal.cursor(fromLsn))
        {
            while (cursor.next())
            {
                records.add(new LogRecord(cursor.lsn(), cursor.type(), cursor.payloadBytes()));
            }
        }
        return records;
    }

    /** One log record, copied. */
    record LogRecord(long lsn, int type, byte[] payload)
    {
        /** @return the kind of a {@link LogRecordTypes#TREE_ENTRY} record */
        int entryKind()
        {
            return payload[1] & 0xFF;
        }
    }

    /** @return the inner nodes of {@code tree}: 0 for a lone root leaf, 1 for a root over leaves */
    static int innerNodes(final MvccStore store, final BTree tree)
    {
        int inner = 0;
        for (long id = store.pages().firstDataPage(); id < store.pages().pageCount(); id++)
        {
            try (PageHandle page = store.pages().pin(id, LatchMode.SHARED))
            {
                if (page.pageType() == NodeLayout.TYPE_INNER && NodeLayout.treeId(page.body()) == tree.id())
                {
                    inner++;
                }
            }
        }
        return inner;
    }

    static TreeMap<byte[], byte[]> newModel()
    {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    /** @return what {@code cursor} yields over {@code [from, to)}, as {@link #describe} lines */
    static List<String> scan(final BTree tree, final Snapshot snapshot, final byte[] from, final byte[] to,
        final boolean descending)
    {
        final List<String> lines = new ArrayList<>();
        try (TreeCursor cursor = tree.cursor())
        {
            cursor.open(snapshot, from, to, descending);
            while (cursor.next())
            {
                lines.add(describe(cursor.keyBytes(), cursor.valueBytes()));
            }
        }
        return lines;
    }

    /** @return the model's entries in {@code [from, to)} (null bounds are open), as {@link #describe} lines */
    static List<String> expected(final NavigableMap<byte[], byte[]> model, final byte[] from, final byte[] to,
        final boolean descending)
    {
        NavigableMap<byte[], byte[]> range = model;
        if (from != null && to != null)
        {
            range = Arrays.compareUnsigned(from, to) < 0 ? model.subMap(from, true, to, false) : newModel();
        }
        else if (from != null)
        {
            range = model.tailMap(from, true);
        }
        else if (to != null)
        {
            range = model.headMap(to, false);
        }
        final List<String> lines = new ArrayList<>();
        for (final Map.Entry<byte[], byte[]> entry : (descending ? range.descendingMap() : range).entrySet())
        {
            lines.add(describe(entry.getKey(), entry.getValue()));
        }
        return lines;
    }

    /** @return a short, comparable description of an entry: the key and the length and hash of the value */
    static String describe(final byte[] key, final byte[] value)
    {
        return key(key) + " -> " + (value == null ? "null" : value.length + " B #" + Integer.toHexString(
            Arrays.hashCode(value)));
    }

    static String key(final byte[] key)
    {
        if (key == null)
        {
            return "(open)";
        }
        if (key.length <= 24)
        {
            return HexFormat.of().formatHex(key);
        }
        return HexFormat.of().formatHex(key, 0, 16) + "..(" + key.length + " B #" + Integer.toHexString(
            Arrays.hashCode(key)) + ")";
    }
}
