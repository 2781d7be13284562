package dev.tidemark.mvcc;

import static dev.tidemark.mvcc.TreeStoreFixture.FILE;
import static dev.tidemark.mvcc.TreeStoreFixture.PAGE_SIZE;
import static dev.tidemark.mvcc.TreeStoreFixture.expected;
import static dev.tidemark.mvcc.TreeStoreFixture.newModel;
import static dev.tidemark.mvcc.TreeStoreFixture.scan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tidemark.CorruptionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BTreeTest
{
    private static final Snapshot LATEST = Snapshot.latest(CommitTable.SYSTEM_TRANSACTION);

    private TreeStoreFixture fixture;
    private long nextTxn = 1;

    @AfterEach
    void closeFixture()
    {
        if (fixture != null)
        {
            fixture.close();
            assertThat(fixture.fs.openHandleCount()).as("file handles left open").isZero();
        }
    }

    private MvccStore open(final int frames)
    {
        fixture = TreeStoreFixture.open(42, frames);
        return fixture.store;
    }

    private WriteTxn begin()
    {
        return new WriteTxn(nextTxn++);
    }

    private long commit(final WriteTxn txn)
    {
        return fixture.commits.commit(txn.id());
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] key(final int i)
    {
        return String.format("key-%06d", i).getBytes(StandardCharsets.US_ASCII);
    }

    private long kindCount(final List<TreeStoreFixture.LogRecord> records, final int kind)
    {
        return records.stream().filter(r -> r.type() == LogRecordTypes.TREE_ENTRY && r.entryKind() == kind)
            .count();
    }

    // ------------------------------------------------------------------------------------------- arguments

    @Test
    void shouldRejectBadKeysAndNullArgumentsChangingNothing()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("args");
        final WriteTxn setup = begin();
        tree.put(setup, bytes("kept"), bytes("value"));
        commit(setup);
        final long lsn = fixture.wal.lastAppendedLsn();
        final int free = store.pages().freePageCount();
        final WriteTxn txn = begin();
        final byte[] empty = new byte[0];
        final byte[] tooLong = new byte[2049];
        final byte[] value = bytes("v");

        assertThatThrownBy(() -> tree.put(txn, empty, value)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("key of 0 bytes").hasMessageContaining("2048").hasMessageContaining("args");
        assertThatThrownBy(() -> tree.put(txn, tooLong, value)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2049").hasMessageContaining("2048");
        assertThatThrownBy(() -> tree.delete(txn, empty)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("key of 0 bytes");
        assertThatThrownBy(() -> tree.delete(txn, tooLong)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2049");
        assertThatThrownBy(() -> tree.get(LATEST, empty)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("key of 0 bytes");
        assertThatThrownBy(() -> tree.get(LATEST, tooLong)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2049");
        assertThatThrownBy(() -> tree.newestWriter(tooLong)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2049");
        assertThatThrownBy(() -> tree.put(txn, tooLong, new byte[20_000]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2049");
        final UnsafeBuffer oneByte = new UnsafeBuffer(new byte[1]);
        assertThatThrownBy(() -> tree.put(txn, bytes("k"), oneByte, BTree.MAX_VALUE_LENGTH + 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(
                String.valueOf(BTree.MAX_VALUE_LENGTH + 1));
        assertThatThrownBy(() -> tree.put(txn, bytes("k"), oneByte, -1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        try (TreeCursor cursor = tree.cursor())
        {
            assertThatThrownBy(() -> cursor.open(LATEST, empty, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key of 0 bytes");
            assertThatThrownBy(() -> cursor.open(LATEST, null, tooLong, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2049");
        }

        assertThatThrownBy(() -> tree.put(null, bytes("k"), value)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("txn");
        assertThatThrownBy(() -> tree.put(txn, null, value)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("key");
        assertThatThrownBy(() -> tree.put(txn, bytes("k"), null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("value");
        assertThatThrownBy(() -> tree.delete(null, bytes("kept"))).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("txn");
        assertThatThrownBy(() -> tree.delete(txn, null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("key");
        assertThatThrownBy(() -> tree.get(null, bytes("kept"))).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("snapshot");
        try (TreeCursor cursor = tree.cursor())
        {
            assertThatThrownBy(() -> cursor.open(null, null, null, false)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("snapshot");
        }
        assertThatThrownBy(() -> store.rollback(null, 0)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("txn");
        assertThatThrownBy(() -> store.createTree("")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("name");
        assertThatThrownBy(() -> store.createTree("n".repeat(256))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("256");
        assertThatThrownBy(() -> new WriteTxn(0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(fixture.wal.lastAppendedLsn()).as("nothing logged").isEqualTo(lsn);
        assertThat(txn.lastLsn()).isZero();
        assertThat(store.pages().freePageCount()).isEqualTo(free);
        assertThat(scan(tree, Snapshot.latest(txn.id()), null, null, false))
            .containsExactly(TreeStoreFixture.describe(bytes("kept"), bytes("value")));
        assertThat(store.treeNames()).containsExactly("args");

        final byte[] longest = random(1, 2048);
        final byte[] shortest = {0x00};
        tree.put(txn, longest, value);
        tree.put(txn, shortest, new byte[0]);
        commit(txn);
        assertThat(tree.get(LATEST, longest)).isEqualTo(value);
        assertThat(tree.get(LATEST, shortest)).isEmpty();
        assertThat(store.verify().problems()).isEmpty();
    }

    @Test
    void shouldNameTheNullKeyOfARead()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("reads");
        assertThatThrownBy(() -> tree.newestWriter(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("key");
        assertThatThrownBy(() -> tree.get(LATEST, null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("key");
    }

    @Test
    void shouldOrderKeysUnsignedLexicographically()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("order");
        final byte[][] keys = {{(byte)0x80}, {0x7F}, {(byte)0xFF}, {0x00}, {0x00, 0x00}, {0x01}, {(byte)0xFF, 0x00},
            {0x7F, (byte)0xFF}, {(byte)0x80, 0x00, 0x00}};
        final WriteTxn txn = begin();
        for (final byte[] key : keys)
        {
            tree.put(txn, key, key);
        }
        commit(txn);
        final List<String> forward = scan(tree, LATEST, null, null, false);
        assertThat(forward).containsExactly(
            TreeStoreFixture.describe(new byte[]{0x00}, new byte[]{0x00}),
            TreeStoreFixture.describe(new byte[]{0x00, 0x00}, new byte[]{0x00, 0x00}),
            TreeStoreFixture.describe(new byte[]{0x01}, new byte[]{0x01}),
            TreeStoreFixture.describe(new byte[]{0x7F}, new byte[]{0x7F}),
            TreeStoreFixture.describe(new byte[]{0x7F, (byte)0xFF}, new byte[]{0x7F, (byte)0xFF}),
            TreeStoreFixture.describe(new byte[]{(byte)0x80}, new byte[]{(byte)0x80}),
            TreeStoreFixture.describe(new byte[]{(byte)0x80, 0x00, 0x00}, new byte[]{(byte)0x80, 0x00, 0x00}),
            TreeStoreFixture.describe(new byte[]{(byte)0xFF}, new byte[]{(byte)0xFF}),
            TreeStoreFixture.describe(new byte[]{(byte)0xFF, 0x00}, new byte[]{(byte)0xFF, 0x00}));
        final List<String> reversed = new ArrayList<>(forward);
        Collections.reverse(reversed);
        assertThat(scan(tree, LATEST, null, null, true)).containsExactlyElementsOf(reversed);
        assertThat(scan(tree, LATEST, new byte[]{0x7F}, new byte[]{(byte)0x80}, false))
            .containsExactlyElementsOf(forward.subList(3, 5));
        assertThat(scan(tree, LATEST, new byte[]{0x7F}, new byte[]{(byte)0x80}, true))
            .containsExactly(forward.get(4), forward.get(3));
        assertThat(scan(tree, LATEST, new byte[]{0x01}, new byte[]{0x01}, false)).isEmpty();
    }

    /** @return a key of {@code prefix} bytes of one value followed by {@code i} in four big-endian bytes */
    private static byte[] longKey(final int prefix, final int i)
    {
        final byte[] key = new byte[prefix + 4];
        Arrays.fill(key, 0, prefix, (byte)'p');
        key[prefix] = (byte)(i >>> 24);
        key[prefix + 1] = (byte)(i >>> 16);
        key[prefix + 2] = (byte)(i >>> 8);
        key[prefix + 3] = (byte)i;
        return key;
    }

    @Test
    void shouldSplitInnerNodesWhenSeparatorsAreLong()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("deep");
        final TreeMap<byte[], byte[]> model = newModel();
        final WriteTxn txn = begin();
        final SplittableRandom order = new SplittableRandom(3);
        for (int n = 0; n < 300; n++)
        {
            final int i = order.nextInt(1_000_000);
            final byte[] key = longKey(900, i);
            final byte[] value = random(i, 50);
            tree.put(txn, key, value);
            model.put(key, value);
        }
        commit(txn);
        assertThat(scan(tree, LATEST, null, null, false)).containsExactlyElementsOf(expected(model, null, null,
            false));
        assertThat(scan(tree, LATEST, null, null, true)).containsExactlyElementsOf(expected(model, null, null,
            true));
        for (final byte[] key : model.keySet())
        {
            assertThat(tree.get(LATEST, key)).isEqualTo(model.get(key));
        }
        final VerifyReport report = store.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.treePages()).as("leaves and several levels of inner nodes").isGreaterThan(100);
        fixture.reopen();
        assertThat(scan(fixture.store.tree("deep").orElseThrow(), LATEST, null, null, false))
            .containsExactlyElementsOf(expected(model, null, null, false));
    }

    @Test
    void shouldSplitTheRootOfManyShortKeys()
    {
        final MvccStore store = open(64);
        final BTree tree = store.createTree("wide");
        final TreeMap<byte[], byte[]> model = newModel();
        final SplittableRandom order = new SplittableRandom(4);
        WriteTxn txn = begin();
        for (int n = 0; n < 40_000; n++)
        {
            final byte[] key = longKey(0, order.nextInt());
            final byte[] value = {(byte)n};
            tree.put(txn, key, value);
            model.put(key, value);
            if (n % 5000 == 4999)
            {
                commit(txn);
                txn = begin();
            }
        }
        commit(txn);
        assertThat(scan(tree, LATEST, null, null, false)).containsExactlyElementsOf(expected(model, null, null,
            false));
        final VerifyReport report = store.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).as("the keys, one catalog entry per tree, and the next tree id")
            .isEqualTo(model.size() + store.treeNames().size() + 1);
    }

    // ------------------------------------------------------------------------------------------ large values

    @Test
    void shouldRoundTripA16MiBValueAndFreeItsPagesWhenReplaced()
    {
        final MvccStore store = open(64);
        final BTree tree = store.createTree("large");
        final byte[] large = random(16, 16 << 20);
        final WriteTxn txn = begin();
        tree.put(txn, bytes("before"), bytes("b"));
        tree.put(txn, bytes("large"), large);
        tree.put(txn, bytes("then"), bytes("t"));
        commit(txn);
        assertThat(tree.get(LATEST, bytes("large"))).isEqualTo(large);
        fixture.reopen();
        final BTree reopened = fixture.store.tree("large").orElseThrow();
        assertThat(reopened.get(LATEST, bytes("large"))).isEqualTo(large);
        try (TreeCursor cursor = reopened.cursor())
        {
            cursor.open(LATEST, bytes("l"), null, false);
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.keyBytes()).isEqualTo(bytes("large"));
            assertThat(cursor.valueBytes()).isEqualTo(large);
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.keyBytes()).isEqualTo(bytes("then"));
            assertThat(cursor.next()).isFalse();
        }
        final VerifyReport before = fixture.store.verify();
        assertThat(before.problems()).isEmpty();
        assertThat(before.overflowPages()).isGreaterThanOrEqualTo((16L << 20) / PAGE_SIZE);

        final int free = fixture.store.pages().freePageCount();
        final WriteTxn replace = begin();
        reopened.put(replace, bytes("large"), bytes("small now"));
        commit(replace);
        fixture.store.collectGarbage();
        assertThat(reopened.get(LATEST, bytes("large"))).isEqualTo(bytes("small now"));
        assertThat(fixture.store.pages().freePageCount() - free).as("overflow pages given back")
            .isGreaterThanOrEqualTo((int)((16L << 20) / PAGE_SIZE));
        final VerifyReport after = fixture.store.verify();
        assertThat(after.problems()).isEmpty();
        assertThat(after.overflowPages()).isLessThan(10);
    }

    @Test
    void shouldRoundTripValuesAtEverySizeBoundary()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("sizes");
        final int inline = new BTree.Limits(store.pages().bodySize()).inlineValue;
        final int perPage = OverflowLayout.dataCapacity(store.pages().bodySize());
        final int[] sizes = {0, 1, inline - 1, inline, inline + 1, perPage - 1, perPage, perPage + 1, 2 * perPage,
            2 * perPage + 1, 10 * perPage};
        final TreeMap<byte[], byte[]> model = newModel();
        long overflowPages = 0;
        final WriteTxn txn = begin();
        for (int i = 0; i < sizes.length; i++)
        {
            final byte[] value = random(100 + i, sizes[i]);
            tree.put(txn, key(i), value);
            model.put(key(i), value);
            overflowPages += sizes[i] > inline ? (sizes[i] + perPage - 1) / perPage : 0;
        }
        commit(txn);
        for (int i = 0; i < sizes.length; i++)
        {
            assertThat(tree.get(LATEST, key(i))).as("value of %d bytes", sizes[i]).isEqualTo(model.get(key(i)));
        }
        final VerifyReport report = store.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.overflowPages()).as("overflow pages of values above %d bytes, %d bytes a page", inline,
            perPage).isEqualTo(overflowPages);
        fixture.reopen();
        assertThat(scan(fixture.store.tree("sizes").orElseThrow(), LATEST, null, null, false))
            .containsExactlyElementsOf(expected(model, null, null, false));
    }

    // ------------------------------------------------------------------------------------------- visibility

    @Test
    void shouldShowEachSnapshotOnlyTheVersionsItMaySee()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("visibility");
        final byte[] key = bytes("k");
        final byte[] other = bytes("other");

        final WriteTxn first = begin();
        tree.put(first, key, bytes("v1"));
        tree.put(first, other, bytes("o1"));
        assertThat(tree.get(LATEST, key)).as("uncommitted, seen by others").isNull();
        assertThat(tree.get(Snapshot.latest(99), key)).as("uncommitted, seen by another txn").isNull();
        assertThat(tree.get(Snapshot.latest(first.id()), key)).as("own uncommitted write").isEqualTo(bytes("v1"));
        assertThat(scan(tree, LATEST, null, null, false)).isEmpty();
        assertThat(scan(tree, Snapshot.latest(first.id()), null, null, false)).hasSize(2);
        assertThat(tree.newestWriter(key)).isEqualTo(first.id());
        final long t1 = commit(first);
        final long held1 = fixture.commits.beginSnapshot();
        assertThat(held1).isEqualTo(t1);
        final Snapshot atT1 = Snapshot.at(t1, 0);
        assertThat(tree.get(Snapshot.at(t1 - 1, 0), key)).as("before the commit").isNull();
        assertThat(tree.get(atT1, key)).isEqualTo(bytes("v1"));

        final WriteTxn second = begin();
        tree.put(second, key, bytes("v2"));
        assertThat(tree.get(atT1, key)).isEqualTo(bytes("v1"));
        assertThat(tree.get(LATEST, key)).isEqualTo(bytes("v1"));
        assertThat(tree.get(Snapshot.latest(second.id()), key)).isEqualTo(bytes("v2"));
        final long t2 = commit(second);
        final long held2 = fixture.commits.beginSnapshot();
        store.collectGarbage();
        assertThat(tree.get(atT1, key)).as("an older snapshot after an overwrite committed").isEqualTo(bytes("v1"));
        assertThat(tree.get(Snapshot.at(t2, 0), key)).isEqualTo(bytes("v2"));
        assertThat(tree.get(LATEST, key)).isEqualTo(bytes("v2"));

        final WriteTxn third = begin();
        assertThat(tree.delete(third, key)).isTrue();
        assertThat(tree.get(Snapshot.latest(third.id()), key)).as("own delete").isNull();
        assertThat(tree.get(LATEST, key)).as("uncommitted delete").isEqualTo(bytes("v2"));
        final long lsn = fixture.wal.lastAppendedLsn();
        assertThat(tree.delete(third, bytes("never written"))).isFalse();
        assertThat(fixture.wal.lastAppendedLsn()).as("a delete of an absent key logs nothing").isEqualTo(lsn);
        final long t3 = commit(third);
        store.collectGarbage();
        assertThat(tree.get(LATEST, key)).as("after the tombstone committed").isNull();
        assertThat(tree.get(Snapshot.at(t3, 0), key)).isNull();
        assertThat(tree.get(Snapshot.at(t2, 0), key)).as("a snapshot before the tombstone").isEqualTo(bytes("v2"));
        assertThat(tree.get(atT1, key)).isEqualTo(bytes("v1"));
        assertThat(scan(tree, Snapshot.at(t2, 0), null, null, false))
            .containsExactly(TreeStoreFixture.describe(key, bytes("v2")),
                TreeStoreFixture.describe(other, bytes("o1")));
        assertThat(scan(tree, LATEST, null, null, true)).containsExactly(
            TreeStoreFixture.describe(other, bytes("o1")));
        assertThat(tree.newestWriter(key)).isEqualTo(third.id());

        final WriteTxn fourth = begin();
        tree.put(fourth, key, bytes("v4"));
        assertThat(tree.get(LATEST, key)).as("a new version over a tombstone, uncommitted").isNull();
        assertThat(tree.get(Snapshot.latest(fourth.id()), key)).isEqualTo(bytes("v4"));
        commit(fourth);
        assertThat(tree.get(LATEST, key)).isEqualTo(bytes("v4"));
        assertThat(tree.get(Snapshot.at(t3, 0), key)).isNull();
        fixture.commits.endSnapshot(held1);
        fixture.commits.endSnapshot(held2);
        assertThat(store.verify().problems()).isEmpty();
    }

    @Test
    void shouldDeleteAKeyItsOwnTransactionInserted()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("own");
        final WriteTxn txn = begin();
        tree.put(txn, bytes("k"), bytes("v"));
        assertThat(tree.delete(txn, bytes("k"))).isTrue();
        assertThat(tree.get(Snapshot.latest(txn.id()), bytes("k"))).isNull();
        assertThat(tree.newestWriter(bytes("k"))).isEqualTo(txn.id());
        final WriteTxn undone = begin();
        tree.put(undone, bytes("u"), bytes("v"));
        assertThat(tree.delete(undone, bytes("u"))).isTrue();
        store.rollback(undone, 0);
        assertThat(tree.newestWriter(bytes("u"))).as("nothing left of a rolled-back insert and delete")
            .isEqualTo(-1);
        commit(txn);
        assertThat(tree.get(LATEST, bytes("k"))).isNull();
        store.collectGarbage();
        assertThat(tree.newestWriter(bytes("k"))).isEqualTo(-1);
        final VerifyReport report = store.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.entries()).as("only the catalog entries (the tree, the next tree id) are left")
            .isEqualTo(2);
    }

    @Test
    void shouldRollBackATransactionThatWroteTwoTrees()
    {
        final MvccStore store = open(32);
        final BTree left = store.createTree("left");
        final BTree right = store.createTree("right");
        final WriteTxn base = begin();
        left.put(base, bytes("k"), bytes("left 0"));
        commit(base);
        final WriteTxn txn = begin();
        left.put(txn, bytes("k"), bytes("left 1"));
        right.put(txn, bytes("k"), bytes("right 1"));
        left.put(txn, bytes("other"), bytes("x"));
        store.rollback(txn, 0);
        assertThat(left.get(Snapshot.latest(txn.id()), bytes("k"))).isEqualTo(bytes("left 0"));
        assertThat(left.get(Snapshot.latest(txn.id()), bytes("other"))).isNull();
        assertThat(right.get(Snapshot.latest(txn.id()), bytes("k"))).isNull();
        assertThat(right.newestWriter(bytes("k"))).isEqualTo(-1);
        assertThat(store.verify().problems()).isEmpty();
    }

    @Test
    void shouldRefuseUseAfterClose()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("closed");
        final WriteTxn txn = begin();
        tree.put(txn, bytes("k"), bytes("v"));
        commit(txn);
        store.close();
        final WriteTxn late = begin();
        assertThatThrownBy(() -> tree.put(late, bytes("k"), bytes("w"))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(() -> tree.delete(late, bytes("k"))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(() -> tree.get(LATEST, bytes("k"))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(() -> scan(tree, LATEST, null, null, false)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.createTree("new")).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(store::collectGarbage).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(store::verify).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        store.close();
    }

    // --------------------------------------------------------------------------------------------- rollback

    @Test
    void shouldRollBackATransactionLoggingCompensations()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("rollback");
        final WriteTxn base = begin();
        tree.put(base, bytes("a"), bytes("a0"));
        tree.put(base, bytes("d"), bytes("d0"));
        commit(base);
        final int overflowBefore = (int)store.verify().overflowPages();

        final WriteTxn txn = begin();
        tree.put(txn, bytes("a"), bytes("a1"));
        tree.put(txn, bytes("b"), bytes("b1"));
        tree.put(txn, bytes("c"), random(3, 10_000));
        assertThat(tree.delete(txn, bytes("d"))).isTrue();
        tree.put(txn, bytes("b"), bytes("b2"));
        assertThat(scan(tree, Snapshot.latest(txn.id()), null, null, false)).hasSize(3);
        final long start = fixture.wal.lastAppendedLsn();
        store.rollback(txn, 0);
        final List<TreeStoreFixture.LogRecord> records = fixture.records(start + 1);
        assertThat(kindCount(records, EntryRecord.KIND_COMPENSATION)).as("one compensation per change")
            .isEqualTo(5);
        assertThat(kindCount(records, EntryRecord.KIND_UPDATE)).isZero();
        assertThat(txn.lastLsn()).isGreaterThan(start);

        final TreeMap<byte[], byte[]> model = newModel();
        model.put(bytes("a"), bytes("a0"));
        model.put(bytes("d"), bytes("d0"));
        assertThat(scan(tree, Snapshot.latest(txn.id()), null, null, false))
            .as("the transaction's own view after rollback").containsExactlyElementsOf(expected(model, null, null,
                false));
        assertThat(tree.newestWriter(bytes("a"))).isEqualTo(base.id());
        assertThat(tree.newestWriter(bytes("d"))).isEqualTo(base.id());
        assertThat(tree.newestWriter(bytes("b"))).isEqualTo(-1);
        assertThat(tree.newestWriter(bytes("c"))).isEqualTo(-1);
        final VerifyReport report = store.verify();
        assertThat(report.problems()).isEmpty();
        assertThat(report.overflowPages()).as("the rolled-back overflow value is freed").isEqualTo(overflowBefore);

        final long again = fixture.wal.lastAppendedLsn();
        store.rollback(txn, 0);
        assertThat(fixture.wal.lastAppendedLsn()).as("a second rollback has nothing to undo").isEqualTo(again);
    }

    @Test
    void shouldRollBackToASavepoint()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("savepoint");
        final WriteTxn txn = begin();
        final long empty = txn.lastLsn();
        tree.put(txn, bytes("k1"), bytes("one"));
        final long savepoint = txn.lastLsn();
        tree.put(txn, bytes("k2"), bytes("two"));
        tree.put(txn, bytes("k1"), bytes("uno"));
        assertThat(tree.delete(txn, bytes("k1"))).isTrue();
        final long start = fixture.wal.lastAppendedLsn();
        store.rollback(txn, savepoint);
        assertThat(kindCount(fixture.records(start + 1), EntryRecord.KIND_COMPENSATION)).isEqualTo(3);
        final Snapshot own = Snapshot.latest(txn.id());
        assertThat(tree.get(own, bytes("k1"))).isEqualTo(bytes("one"));
        assertThat(tree.get(own, bytes("k2"))).isNull();

        tree.put(txn, bytes("k3"), bytes("three"));
        store.rollback(txn, savepoint);
        assertThat(tree.get(own, bytes("k3"))).as("a second rollback to the same savepoint").isNull();
        assertThat(tree.get(own, bytes("k1"))).isEqualTo(bytes("one"));
        tree.put(txn, bytes("k4"), bytes("four"));
        commit(txn);
        final TreeMap<byte[], byte[]> model = newModel();
        model.put(bytes("k1"), bytes("one"));
        model.put(bytes("k4"), bytes("four"));
        assertThat(scan(tree, LATEST, null, null, false)).containsExactlyElementsOf(expected(model, null, null,
            false));

        final WriteTxn whole = begin();
        tree.put(whole, bytes("k5"), bytes("five"));
        store.rollback(whole, empty);
        assertThat(tree.get(Snapshot.latest(whole.id()), bytes("k5"))).isNull();
        assertThat(store.verify().problems()).isEmpty();
    }

    // -------------------------------------------------------------------------------------------------- gc

    @Test
    void shouldKeepWhatAnOpenSnapshotSeesUntilItEnds()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("gc");
        final byte[] key = bytes("k");
        final byte[] old = random(5, 40 << 10);
        final WriteTxn first = begin();
        tree.put(first, key, old);
        tree.put(first, bytes("z"), bytes("z"));
        final long t1 = commit(first);
        final long held = fixture.commits.beginSnapshot();

        final WriteTxn second = begin();
        tree.put(second, key, bytes("new"));
        commit(second);
        store.collectGarbage();
        final VerifyReport kept = store.verify();
        assertThat(kept.problems()).isEmpty();
        assertThat(tree.get(Snapshot.at(t1, 0), key)).as("the old snapshot's version survives a sweep")
            .isEqualTo(old);
        assertThat(tree.get(LATEST, key)).isEqualTo(bytes("new"));
        final int free = store.pages().freePageCount();

        fixture.commits.endSnapshot(held);
        assertThat(store.collectGarbage()).as("entries changed once the snapshot ended").isPositive();
        final VerifyReport pruned = store.verify();
        assertThat(pruned.problems()).isEmpty();
        assertThat(pruned.versions()).as("versions after the snapshot ended").isEqualTo(kept.versions() - 1);
        assertThat(pruned.overflowPages()).isLessThanOrEqualTo(kept.overflowPages() - (40 << 10) / PAGE_SIZE);
        assertThat(store.pages().freePageCount() - free).as("pages of the old value given back")
            .isGreaterThanOrEqualTo((40 << 10) / PAGE_SIZE);
        assertThat(tree.get(LATEST, key)).isEqualTo(bytes("new"));

        final WriteTxn third = begin();
        assertThat(tree.delete(third, key)).isTrue();
        commit(third);
        store.collectGarbage();
        final VerifyReport deleted = store.verify();
        assertThat(deleted.entries()).as("a settled tombstone takes its entry away").isEqualTo(pruned.entries() - 1);
        assertThat(tree.newestWriter(key)).isEqualTo(-1);
        assertThat(scan(tree, LATEST, null, null, false)).containsExactly(
            TreeStoreFixture.describe(bytes("z"), bytes("z")));
    }

    @Test
    void shouldVerifyASpilledChainHoldingAnOverflowValue()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("spilled");
        final byte[] key = random(7, 2048);
        final WriteTxn first = begin();
        tree.put(first, key, bytes("small"));
        final long t1 = commit(first);
        final long held = fixture.commits.beginSnapshot();
        final byte[] large = random(8, 10_000);
        final WriteTxn second = begin();
        tree.put(second, key, large);
        commit(second);
        assertThat(tree.get(LATEST, key)).isEqualTo(large);
        assertThat(tree.get(Snapshot.at(t1, 0), key)).isEqualTo(bytes("small"));
        final VerifyReport report = store.verify();
        assertThat(report.problems()).as("verify of a 2,048-byte key whose chain holds an overflow value: %s",
            report).isEmpty();
        assertThat(report.versions()).isGreaterThanOrEqualTo(2);
        fixture.commits.endSnapshot(held);
    }

    @Test
    void shouldLeaveAWriterShortOfRoomTheOneOldVersionItsNextWriteDropsAndSweepItOnceCold()
    {
        final MvccStore store = open(64);
        final BTree tree = store.createTree("churn");
        final int keys = 400;
        long firstRewrite = 0;
        for (int round = 0; round < 2; round++)
        {
            final WriteTxn txn = begin();
            for (int i = 0; i < keys; i += 2)
            {
                tree.put(txn, key(i), random(round * keys + i, 60));
            }
            firstRewrite = commit(txn);
        }
        final long start = fixture.wal.lastAppendedLsn();
        final WriteTxn again = begin();
        for (int i = 0; i < keys; i += 2)
        {
            tree.put(again, key(i), random(7 * keys + i, 60));
        }
        commit(again);
        final WriteTxn between = begin();
        for (int i = 1; i < keys; i += 2)
        {
            tree.put(between, key(i), random(9 * keys + i, 60));
        }
        commit(between);

        final List<TreeStoreFixture.LogRecord> records = fixture.records(start + 1);
        assertThat(kindCount(records, EntryRecord.KIND_SYSTEM))
            .as("writers making room prune no chain whose only garbage is the old version its next write drops")
            .isZero();
        final VerifyReport kept = store.verify();
        assertThat(kept.problems()).isEmpty();
        assertThat(kept.versions() - kept.entries()).as("old versions kept, one per rewritten key")
            .isGreaterThanOrEqualTo(keys / 2);
        for (int i = 0; i < keys; i += 2)
        {
            assertThat(tree.get(Snapshot.at(firstRewrite, 0), key(i))).isEqualTo(random(keys + i, 60));
        }

        assertThat(store.collectGarbage()).as("entries the sweep prunes").isGreaterThanOrEqualTo(keys / 2);
        final VerifyReport swept = store.verify();
        assertThat(swept.problems()).isEmpty();
        assertThat(swept.versions()).as("one version per key after the sweep").isEqualTo(swept.entries());
        assertThat(tree.get(Snapshot.at(firstRewrite, 0), key(0))).as("the old version is gone").isNull();
        for (int i = 0; i < keys; i++)
        {
            assertThat(tree.get(LATEST, key(i))).isEqualTo(random((i % 2 == 0 ? 7 : 9) * keys + i, 60));
        }
    }

    @Test
    void shouldSpillALongHistoryAndShrinkItAgain()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("history");
        final byte[] key = bytes("hot");
        final List<Long> timestamps = new ArrayList<>();
        final List<byte[]> values = new ArrayList<>();
        final List<Long> held = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final WriteTxn txn = begin();
            final byte[] value = random(i, 300);
            tree.put(txn, key, value);
            tree.put(txn, key(i), bytes("neighbour"));
            timestamps.add(commit(txn));
            values.add(value);
            held.add(fixture.commits.beginSnapshot());
        }
        store.collectGarbage();
        for (int i = 0; i < timestamps.size(); i++)
        {
            assertThat(tree.get(Snapshot.at(timestamps.get(i), 0), key)).as("version %d of a spilled history", i)
                .isEqualTo(values.get(i));
        }
        final VerifyReport spilled = store.verify();
        assertThat(spilled.problems()).isEmpty();
        assertThat(spilled.versions()).isGreaterThanOrEqualTo(40 + 40);
        assertThat(spilled.overflowPages()).as("a history of 40 versions of 300 bytes is kept in overflow pages")
            .isGreaterThanOrEqualTo(2);

        final WriteTxn undone = begin();
        for (int i = 0; i < 30; i++)
        {
            tree.put(undone, key, random(1000 + i, 250));
        }
        store.rollback(undone, 0);
        assertThat(tree.get(LATEST, key)).isEqualTo(values.get(values.size() - 1));
        assertThat(tree.newestWriter(key)).isEqualTo(undone.id() - 1);

        held.forEach(fixture.commits::endSnapshot);
        store.collectGarbage();
        final VerifyReport pruned = store.verify();
        assertThat(pruned.problems()).isEmpty();
        assertThat(pruned.versions()).as("one version per key once no snapshot needs the history")
            .isEqualTo(pruned.entries());
        assertThat(pruned.overflowPages()).isZero();
        assertThat(tree.get(LATEST, key)).isEqualTo(values.get(values.size() - 1));
    }

    @Test
    void shouldGivePagesBackWhenMostKeysAreDeleted()
    {
        final MvccStore store = open(32);
        final BTree tree = store.createTree("shrink");
        final int keys = 3000;
        final TreeMap<byte[], byte[]> model = newModel();
        WriteTxn txn = begin();
        for (int i = 0; i < keys; i++)
        {
            final byte[] value = random(i, 60 + i % 90);
            tree.put(txn, key(i), value);
            model.put(key(i), value);
            if (i % 500 == 499)
            {
                commit(txn);
                txn = begin();
            }
        }
        commit(txn);
        final VerifyReport full = store.verify();
        assertThat(full.problems()).isEmpty();
        assertThat(full.treePages()).isGreaterThan(50);
        final int free = store.pages().freePageCount();

        txn = begin();
        for (int i = 0; i < keys; i++)
        {
            if (i % 20 != 0)
            {
                assertThat(tree.delete(txn, key(i))).isTrue();
                model.remove(key(i));
            }
        }
        commit(txn);
        store.collectGarbage();
        store.collectGarbage();
        final VerifyReport shrunk = store.verify();
        assertThat(shrunk.problems()).isEmpty();
        assertThat(shrunk.entries()).isEqualTo(full.entries() - (keys - keys / 20));
        assertThat(shrunk.treePages()).as("tree pages after deleting 95%% of the keys, from %d", full.treePages())
            .isLessThan(full.treePages() / 3);
        assertThat(store.pages().freePageCount() - free).as("pages given back")
            .isGreaterThanOrEqualTo((int)(full.treePages() - shrunk.treePages()));
        assertThat(scan(tree, LATEST, null, null, false)).containsExactlyElementsOf(expected(model, null, null,
            false));
        assertThat(scan(tree, LATEST, null, null, true)).containsExactlyElementsOf(expected(model, null, null,
            true));
        fixture.reopen();
        assertThat(scan(fixture.store.tree("shrink").orElseThrow(), LATEST, null, null, false))
            .containsExactlyElementsOf(expected(model, null, null, false));
    }

    @Test
    void shouldDropATreeFreeingEveryPageOfIt()
    {
        final MvccStore store = open(32);
        final BTree doomed = store.createTree("doomed");
        final BTree kept = store.createTree("kept");
        final WriteTxn txn = begin();
        for (int i = 0; i < 800; i++)
        {
            doomed.put(txn, key(i), random(i, i % 50 == 0 ? 9000 : 120));
        }
        kept.put(txn, bytes("stays"), bytes("here"));
        commit(txn);
        final VerifyReport before = store.verify();
        assertThat(before.problems()).isEmpty();
        final int free = store.pages().freePageCount();

        store.dropTree("doomed");
        assertThat(store.treeNames()).containsExactly("kept");
        assertThat(store.tree("doomed")).isEmpty();
        final VerifyReport after = store.verify();
        assertThat(after.problems()).as("no page of the dropped tree leaks").isEmpty();
        assertThat(after.trees()).isEqualTo(before.trees() - 1);
        assertThat(store.pages().freePageCount() - free).as("pages of the dropped tree given back")
            .isEqualTo((int)(before.treePages() + before.overflowPages() - after.treePages()
                - after.overflowPages()));
        assertThatThrownBy(() -> store.dropTree("doomed")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("doomed");

        fixture.reopen();
        assertThat(fixture.store.treeNames()).containsExactly("kept");
        assertThat(fixture.store.tree("kept").orElseThrow().get(LATEST, bytes("stays"))).isEqualTo(bytes("here"));
        final BTree again = fixture.store.createTree("doomed");
        assertThat(again.id()).isNotEqualTo(doomed.id());
        assertThat(scan(again, LATEST, null, null, false)).as("a tree created again under a dropped name").isEmpty();
        assertThat(fixture.store.verify().problems()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- damage

    /** @return the leaves of {@code tree} other than its root */
    @Test
    void shouldReportTheWriterOfEveryVersionASnapshotSkips()
    {
        final MvccStore store = open(64);
        final BTree tree = store.createTree("skipped");
        final byte[] key = bytes("k");
        final WriteTxn first = begin();
        tree.put(first, key, bytes("v1"));
        final long t1 = commit(first);
        final long held = fixture.commits.beginSnapshot();
        final WriteTxn second = begin();
        tree.put(second, key, bytes("v2"));
        commit(second);
        final WriteTxn third = begin();
        tree.delete(third, key);

        final Snapshot atT1 = Snapshot.at(t1, 0);
        final org.agrona.collections.LongArrayList writers = new org.agrona.collections.LongArrayList();
        assertThat(tree.newerWriters(atT1, key, writers)).isEqualTo(2);
        assertThat(writers).as("newest first: the running delete, then the committed overwrite")
            .containsExactly(third.id(), second.id());
        writers.clear();
        assertThat(tree.newerWriters(Snapshot.at(0, 0), key, writers)).as("a snapshot that sees no version")
            .isEqualTo(3);
        assertThat(writers).containsExactly(third.id(), second.id(), first.id());
        writers.clear();
        assertThat(tree.newerWriters(Snapshot.latest(third.id()), key, writers)).as("own newest version").isZero();
        assertThat(tree.newerWriters(atT1, bytes("absent"), writers)).isZero();

        final List<Long> observed = new ArrayList<>();
        try (TreeCursor cursor = tree.cursor())
        {
            cursor.observeNewer(observed::add);
            cursor.open(atT1, null, null, false);
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.keyBytes()).isEqualTo(key);
            assertThat(cursor.next()).isFalse();
        }
        assertThat(observed).as("a scan reports every skipped version too").containsExactly(third.id(), second.id());
        fixture.commits.endSnapshot(held);
    }

    @Test
    void shouldRefuseAWriteOverAVersionCommittedAfterTheWritersSnapshot()
    {
        final MvccStore store = open(64);
        final BTree tree = store.createTree("first-updater");
        final byte[] key = bytes("k");
        final WriteTxn base = begin();
        tree.put(base, key, bytes("v0"));
        final long before = commit(base);

        final WriteTxn late = begin();
        late.firstUpdaterWins(before);
        final WriteTxn early = begin();
        tree.put(early, key, bytes("v1"));
        commit(early);

        final long lsn = fixture.wal.lastAppendedLsn();
        final byte[] big = random(7, 50_000);
        final long overflowBefore = store.verify().overflowPages();
        final Throwable refused = catchThrowable(() -> tree.put(late, key, big));
        assertThat(refused).isInstanceOf(WriteConflictException.class).hasMessageContaining("first-updater");
        assertThat(((WriteConflictException)refused).newerWriter()).isEqualTo(early.id());
        assertThatThrownBy(() -> tree.delete(late, key)).isInstanceOf(WriteConflictException.class);
        assertThat(tree.get(LATEST, key)).as("nothing written").isEqualTo(bytes("v1"));
        assertThat(tree.newestWriter(key)).isEqualTo(early.id());
        assertThat(store.verify().problems()).isEmpty();
        assertThat(store.verify().overflowPages()).as("the overflow chain of the refused value is freed")
            .isEqualTo(overflowBefore);

        final WriteTxn fresh = begin();
        fresh.firstUpdaterWins(fixture.commits.now());
        tree.put(fresh, key, bytes("v2"));
        tree.put(fresh, key, bytes("v3"));
        assertThat(tree.get(Snapshot.latest(fresh.id()), key)).as("its own newer version is no conflict")
            .isEqualTo(bytes("v3"));
        assertThat(fixture.wal.lastAppendedLsn()).isGreaterThan(lsn);
    }

    private static List<Long> leaves(final MvccStore store, final BTree tree)
    {
        final List<Long> leaves = new ArrayList<>();
        for (long id = store.pages().firstDataPage(); id < store.pages().pageCount(); id++)
        {
            try (PageHandle page = store.pages().pin(id, LatchMode.SHARED))
            {
                if (page.pageType() == NodeLayout.TYPE_LEAF && NodeLayout.treeId(page.body()) == tree.id()
                    && id != tree.rootPage())
                {
                    leaves.add(id);
                }
            }
        }
        return leaves;
    }

    @Test
    void shouldDetectADamagedTreePageNamingTheFile()
    {
        final MvccStore store = open(16);
        final BTree tree = store.createTree("damage");
        final WriteTxn txn = begin();
        for (int i = 0; i < 600; i++)
        {
            tree.put(txn, key(i), random(i, 100));
        }
        commit(txn);
        final List<Long> leaves = leaves(store, tree);
        assertThat(leaves).hasSizeGreaterThan(5);
        final long victim = leaves.get(leaves.size() / 2);
        fixture.reopen();
        fixture.fs.corruptByte(FILE, victim * PAGE_SIZE + 1000, 0x24);

        final BTree reopened = fixture.store.tree("damage").orElseThrow();
        final Throwable scanned = catchThrowable(() -> scan(reopened, LATEST, null, null, false));
        assertThat(scanned).isInstanceOf(CorruptionException.class).hasMessageContaining("pages.tm")
            .hasMessageContaining("page " + victim);
        assertThat(((CorruptionException)scanned).file()).isEqualTo(FILE);
        assertThat(((CorruptionException)scanned).offset()).isEqualTo(victim * PAGE_SIZE);

        final Throwable verified = catchThrowable(() ->
        {
            final VerifyReport report = fixture.store.verify();
            assertThat(report.problems()).as("verify of a damaged store").anySatisfy(problem ->
                assertThat(problem).contains(String.valueOf(victim)));
        });
        if (verified != null)
        {
            assertThat(verified).isInstanceOf(CorruptionException.class).hasMessageContaining("pages.tm");
        }
    }

    @Test
    void shouldRefuseToOpenWithADamagedCatalogRoot()
    {
        final MvccStore store = open(16);
        final long catalogRoot = store.pages().firstDataPage();
        store.createTree("first");
        final BTree tree = store.createTree("filler");
        store.pages().flushAll();
        final WriteTxn txn = begin();
        for (int i = 0; i < 400; i++)
        {
            tree.put(txn, key(i), random(i, 200));
        }
        commit(txn);
        fixture.stop();
        fixture.fs.corruptByte(FILE, catalogRoot * PAGE_SIZE + 2000, 0x01);
        final Throwable thrown = catchThrowable(fixture::start);
        assertThat(thrown).isInstanceOf(CorruptionException.class).hasMessageContaining("pages.tm")
            .hasMessageContaining("page " + catalogRoot);
        assertThat(((CorruptionException)thrown).file()).isEqualTo(FILE);
        fixture.store = null;
        fixture.wal = null;
        assertThat(fixture.fs.openHandleCount()).as("handles after a failed open").isZero();
    }

    // ---------------------------------------------------------------------------------------------- trees

    @Test
    void shouldCreateTreesIdempotentlyAndKeepThemAcrossReopen()
    {
        final MvccStore store = open(32);
        final BTree alpha = store.createTree("alpha");
        assertThat(store.createTree("alpha")).isSameAs(alpha);
        final BTree beta = store.createTree("beta");
        final BTree gamma = store.createTree("γ-tree");
        assertThat(List.of(alpha.id(), beta.id(), gamma.id())).doesNotHaveDuplicates();
        assertThat(List.of(alpha.rootPage(), beta.rootPage(), gamma.rootPage())).doesNotHaveDuplicates();
        assertThat(store.treeNames()).containsExactlyInAnyOrder("alpha", "beta", "γ-tree");
        assertThat(store.tree("missing")).isEmpty();

        final WriteTxn txn = begin();
        alpha.put(txn, bytes("same key"), bytes("in alpha"));
        beta.put(txn, bytes("same key"), bytes("in beta"));
        commit(txn);
        assertThat(gamma.get(LATEST, bytes("same key"))).isNull();

        fixture.reopen();
        final MvccStore reopened = fixture.store;
        assertThat(reopened.treeNames()).containsExactlyInAnyOrder("alpha", "beta", "γ-tree");
        final BTree alpha2 = reopened.tree("alpha").orElseThrow();
        assertThat(alpha2.id()).isEqualTo(alpha.id());
        assertThat(alpha2.rootPage()).isEqualTo(alpha.rootPage());
        assertThat(reopened.createTree("alpha")).isSameAs(alpha2);
        assertThat(reopened.tree("γ-tree").orElseThrow().id()).isEqualTo(gamma.id());
        assertThat(alpha2.get(LATEST, bytes("same key"))).isEqualTo(bytes("in alpha"));
        assertThat(reopened.tree("beta").orElseThrow().get(LATEST, bytes("same key"))).isEqualTo(bytes("in beta"));
        final BTree delta = reopened.createTree("delta");
        assertThat(delta.id()).isNotIn(alpha.id(), beta.id(), gamma.id());
        assertThat(delta.rootPage()).isNotIn(alpha.rootPage(), beta.rootPage(), gamma.rootPage());
        assertThat(reopened.verify().trees()).isGreaterThanOrEqualTo(4);
        assertThat(reopened.verify().problems()).isEmpty();
        fixture.reopen();
        assertThat(fixture.store.treeNames()).containsExactlyInAnyOrder("alpha", "beta", "γ-tree", "delta");
        assertThat(fixture.store.tree("delta").orElseThrow().id()).isEqualTo(delta.id());
    }
}
