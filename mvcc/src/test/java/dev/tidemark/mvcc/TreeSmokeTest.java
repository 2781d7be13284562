package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end path of a tree on a real directory: bulk puts, reads, scans both ways, deletes, GC, reopen. */
class TreeSmokeTest
{
    private static final CommitTable ALL_COMMITTED = new CommitTable()
    {
        @Override
        public long commitTimestamp(final long transactionId)
        {
            return 1;
        }

        @Override
        public long pruneHorizon()
        {
            return Long.MAX_VALUE - 2;
        }
    };

    @TempDir
    Path dir;

    @Test
    void shouldStoreReadScanDeleteAndReopen()
    {
        final TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        final SplittableRandom random = new SplittableRandom(42);
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve("wal")).segmentSize(8 << 20).build());
            MvccStore store = open(wal))
        {
            final BTree tree = store.createTree("t");
            final WriteTxn txn = new WriteTxn(1);
            for (int i = 0; i < 20_000; i++)
            {
                final byte[] key = ByteBuffer.allocate(8).putLong(random.nextLong(5_000)).array();
                final byte[] value = new byte[random.nextInt(4) == 0 ? 3000 + random.nextInt(9000) : random.nextInt(120)];
                random.nextBytes(value);
                tree.put(txn, key, value);
                model.put(key, value);
                if (random.nextInt(5) == 0)
                {
                    final byte[] gone = ByteBuffer.allocate(8).putLong(random.nextLong(5_000)).array();
                    tree.delete(txn, gone);
                    model.remove(gone);
                }
            }
            check(tree, model);
            assertThat(store.verify().problems()).isEmpty();
            store.collectGarbage();
            check(tree, model);
            assertThat(store.verify().problems()).isEmpty();
            for (final byte[] key : model.keySet().toArray(new byte[0][]))
            {
                if (random.nextInt(10) != 0)
                {
                    tree.delete(txn, key);
                    model.remove(key);
                }
            }
            final int freeBefore = store.pages().freePageCount();
            store.collectGarbage();
            assertThat(store.pages().freePageCount()).isGreaterThan(freeBefore);
            check(tree, model);
            final VerifyReport report = store.verify();
            assertThat(report.problems()).isEmpty();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve("wal")).segmentSize(8 << 20).build());
            MvccStore store = open(wal))
        {
            check(store.tree("t").orElseThrow(), model);
            assertThat(store.verify().problems()).isEmpty();
        }
    }

    private MvccStore open(final WriteAheadLog wal)
    {
        return MvccStore.open(MvccStoreOptions.builder(PageStoreOptions.builder(dir.resolve("pages.tm"))
            .pageSize(4096).bufferPoolBytes(32 * 4096).build()).gcInterval(Duration.ZERO).build(), wal, ALL_COMMITTED);
    }

    private static void check(final BTree tree, final TreeMap<byte[], byte[]> model)
    {
        final Snapshot snapshot = Snapshot.latest(0);
        for (final Map.Entry<byte[], byte[]> e : model.entrySet())
        {
            assertThat(tree.get(snapshot, e.getKey())).isEqualTo(e.getValue());
        }
        try (TreeCursor cursor = tree.cursor())
        {
            cursor.open(snapshot, null, null, false);
            int seen = 0;
            for (final Map.Entry<byte[], byte[]> e : model.entrySet())
            {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.keyBytes()).isEqualTo(e.getKey());
                assertThat(cursor.valueBytes()).isEqualTo(e.getValue());
                seen++;
            }
            assertThat(cursor.next()).isFalse();
            cursor.open(snapshot, null, null, true);
            for (final Map.Entry<byte[], byte[]> e : model.descendingMap().entrySet())
            {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.keyBytes()).isEqualTo(e.getKey());
            }
            assertThat(cursor.next()).isFalse();
            assertThat(seen).isEqualTo(model.size());
        }
    }
}
