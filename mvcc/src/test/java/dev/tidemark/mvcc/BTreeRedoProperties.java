package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Redo reproduces the pages: copies of every data page are taken at LSN L0, more work follows (splits, merges,
 * overflow values, spilled chains, garbage collection, rollbacks, a new tree), and every log record after L0 is
 * redone onto the copies with {@link PageRedo#redo}. Each copy must then equal its live page byte for byte (the
 * on-disk CRC field aside), pages that did not exist at L0 included (redone from a freshly formatted page at LSN
 * 0); a record changes only the pages it names; redoing everything a second time changes nothing. Replay a
 * failure with its printed seed.
 */
class BTreeRedoProperties
{
    private static final int PAGE_SIZE = TreeStoreFixture.PAGE_SIZE;
    private static final int CRC_FROM = PageLayout.CRC_OFFSET;
    private static final int CRC_TO = PageLayout.CRC_OFFSET + Integer.BYTES;

    @Property(tries = 40, shrinking = ShrinkingMode.OFF)
    void shouldRebuildEveryPageFromAnOlderCopyAndTheLog(@ForAll final long seed,
        @ForAll @IntRange(min = 50, max = 400) final int before,
        @ForAll @IntRange(min = 100, max = 500) final int after)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final String context = "seed " + seed + ", " + before + " steps before L0, " + after + " after";
        final TreeStoreFixture fixture = TreeStoreFixture.open(seed, 24 + random.nextInt(40));
        AssertionError failure = null;
        try
        {
            check(fixture, random, before, after, context);
        }
        catch (final AssertionError ex)
        {
            failure = ex;
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            failure = new AssertionError("the store failed, " + context + ": " + ex, ex);
            throw failure;
        }
        finally
        {
            fixture.close(failure);
        }
    }

    private static void check(final TreeStoreFixture fixture, final SplittableRandom random, final int before,
        final int after, final String context)
    {
        final Workload work = new Workload(fixture, random, fixture.store.createTree("redo"));
        work.run(before);
        final long l0 = fixture.wal.lastAppendedLsn();
        final Map<Long, byte[]> copies = new HashMap<>();
        final long pagesAtL0 = fixture.store.pages().pageCount();
        for (long pageId = fixture.store.pages().firstDataPage(); pageId < pagesAtL0; pageId++)
        {
            final byte[] copy = livePage(fixture.store, pageId);
            assertThat(lsn(copy)).as("LSN of page %d at L0 %d, %s", pageId, l0, context).isLessThanOrEqualTo(l0);
            copies.put(pageId, copy);
        }

        if (random.nextBoolean())
        {
            work.tree = fixture.store.createTree("second");
        }
        work.run(after);
        if (work.txn != null)
        {
            work.finish();
        }
        fixture.store.collectGarbage();
        final List<TreeStoreFixture.LogRecord> records = fixture.records(l0 + 1);
        assertThat(records).as(context).isNotEmpty();
        assertThat(records.get(0).lsn()).as(context).isEqualTo(l0 + 1);

        final long pagesNow = fixture.store.pages().pageCount();
        int fresh = 0;
        for (long pageId = pagesAtL0; pageId < pagesNow; pageId++)
        {
            copies.put(pageId, formattedPage(pageId));
            fresh++;
        }
        final LongArrayList zeroAtL0 = new LongArrayList();
        copies.forEach((id, bytes) ->
        {
            if (id < pagesAtL0 && lsn(bytes) == 0)
            {
                zeroAtL0.addLong(id);
            }
        });
        Statistics.label("page images (splits, merges, overflow)").collect(
            records.stream().filter(r -> r.type() == LogRecordTypes.TREE_PAGES).count() > 20 ? ">20" : "<=20");

        final LongArrayList named = new LongArrayList();
        for (final TreeStoreFixture.LogRecord record : records)
        {
            named.clear();
            if (LogRecordTypes.isPageOperation(record.type()))
            {
                PageRedo.pagesOf(record.type(), new UnsafeBuffer(record.payload()), 0, record.payload().length,
                    named);
            }
            for (final Map.Entry<Long, byte[]> copy : copies.entrySet())
            {
                final long pageId = copy.getKey();
                final boolean changed = redo(copy.getValue(), pageId, record);
                if (changed)
                {
                    assertThat(named.containsLong(pageId))
                        .as("record %d of type %d changed page %d, which it does not name, %s", record.lsn(),
                            record.type(), pageId, context)
                        .isTrue();
                }
                if (named.containsLong(pageId) && !changed)
                {
                    assertThat(lsn(copy.getValue()))
                        .as("record %d skipped page %d though its LSN is below, %s", record.lsn(), pageId,
                            context)
                        .isGreaterThanOrEqualTo(record.lsn());
                }
            }
        }

        int zeroUsed = 0;
        for (long pageId = fixture.store.pages().firstDataPage(); pageId < pagesNow; pageId++)
        {
            final byte[] live = livePage(fixture.store, pageId);
            final byte[] redone = copies.get(pageId);
            assertSamePage(redone, live, "page " + pageId + " (type " + type(live) + ", LSN " + lsn(live)
                + ") redone from L0 " + l0 + ", " + context);
            zeroUsed += zeroAtL0.containsLong(pageId) && lsn(live) > 0 ? 1 : 0;
        }
        Statistics.label("pages grown after L0").collect(fresh > 0)
            .coverage(coverage -> coverage.check(true).count(c -> c > 0));
        Statistics.label("pages at LSN 0 in the copy at L0, written after it").collect(zeroUsed > 0)
            .coverage(coverage -> coverage.check(true).count(c -> c > 0));

        final Map<Long, byte[]> redoneOnce = new HashMap<>();
        copies.forEach((id, bytes) -> redoneOnce.put(id, bytes.clone()));
        for (final TreeStoreFixture.LogRecord record : records)
        {
            for (final Map.Entry<Long, byte[]> copy : copies.entrySet())
            {
                assertThat(redo(copy.getValue(), copy.getKey(), record))
                    .as("second redo of record %d on page %d, %s", record.lsn(), copy.getKey(), context)
                    .isFalse();
            }
        }
        copies.forEach((id, bytes) -> assertThat(bytes).as("page %d after a second redo, %s", id, context)
            .isEqualTo(redoneOnce.get(id)));
    }

    private static boolean redo(final byte[] page, final long pageId, final TreeStoreFixture.LogRecord record)
    {
        return PageRedo.redo(new UnsafeBuffer(page), pageId, record.lsn(), record.type(),
            new UnsafeBuffer(record.payload()), 0, record.payload().length);
    }

    static byte[] livePage(final MvccStore store, final long pageId)
    {
        try (PageHandle page = store.pages().pin(pageId, LatchMode.SHARED))
        {
            final UnsafeBuffer whole = page.pageBuffer();
            final byte[] bytes = new byte[whole.capacity()];
            whole.getBytes(0, bytes);
            return bytes;
        }
    }

    /** @return what the pool shows for a page never written: a fresh header at LSN 0, type none, zero body */
    static byte[] formattedPage(final long pageId)
    {
        final ByteBuffer page = ByteBuffer.allocate(PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        PageLayout.format(page, pageId, PageLayout.TYPE_NONE);
        return page.array();
    }

    static long lsn(final byte[] page)
    {
        return new UnsafeBuffer(page).getLong(PageLayout.LSN_OFFSET);
    }

    static int type(final byte[] page)
    {
        return page[PageLayout.TYPE_OFFSET] & 0xFF;
    }

    static void assertSamePage(final byte[] actual, final byte[] expected, final String what)
    {
        final byte[] a = actual.clone();
        final byte[] e = expected.clone();
        for (int i = CRC_FROM; i < CRC_TO; i++)
        {
            a[i] = 0;
            e[i] = 0;
        }
        int first = -1;
        for (int i = 0; i < a.length && first < 0; i++)
        {
            if (a[i] != e[i])
            {
                first = i;
            }
        }
        assertThat(first).as("first differing byte of %s (redone LSN %d, type %d)", what, lsn(actual),
            type(actual)).isEqualTo(-1);
    }

    /** Random single-writer work on one tree: enough to split, merge, overflow, spill, collect and roll back. */
    static final class Workload
    {
        private final TreeStoreFixture fixture;
        private final SplittableRandom random;
        private final List<byte[]> keys;
        private final List<Long> held = new ArrayList<>();
        BTree tree;
        WriteTxn txn;
        private long savepoint = -1;
        private long nextTxn = 1;

        Workload(final TreeStoreFixture fixture, final SplittableRandom random, final BTree tree)
        {
            this.fixture = fixture;
            this.random = random;
            this.tree = tree;
            this.keys = BTreeModelProperties.keySpace(random, 60 + random.nextInt(120));
        }

        void run(final int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                final int action = random.nextInt(100);
                if (txn == null)
                {
                    txn = new WriteTxn(nextTxn++);
                    savepoint = -1;
                }
                final byte[] key = keys.get(random.nextInt(keys.size()));
                if (action < 55)
                {
                    tree.put(txn, key, BTreeModelProperties.randomValue(random));
                }
                else if (action < 72)
                {
                    tree.delete(txn, key);
                }
                else if (action < 82)
                {
                    finish();
                }
                else if (action < 86)
                {
                    fixture.store.rollback(txn, 0);
                    txn = null;
                }
                else if (action < 89)
                {
                    savepoint = txn.lastLsn();
                }
                else if (action < 91)
                {
                    if (savepoint >= 0)
                    {
                        fixture.store.rollback(txn, savepoint);
                    }
                }
                else if (action < 94)
                {
                    fixture.store.collectGarbage();
                }
                else if (action < 97)
                {
                    if (held.size() < 2)
                    {
                        held.add(fixture.commits.beginSnapshot());
                    }
                }
                else if (!held.isEmpty())
                {
                    fixture.commits.endSnapshot(held.remove(0));
                }
            }
        }

        void finish()
        {
            fixture.commits.commit(txn.id());
            txn = null;
        }
    }
}
