package dev.tidemark.mvcc;

import dev.tidemark.FailStopException;
import dev.tidemark.util.Threads;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.agrona.MutableDirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background garbage collector, thread {@code tidemark-mvcc-gc}: every interval it looks at the trees that
 * took new versions of existing keys since their last sweep, and sweeps one once it noted
 * {@value #NOTES_PER_PAGE} such versions per page of the store, or {@value #MAX_DELAY} intervals after its last
 * sweep. It prunes only cold leaves, unchanged since its previous sweep of the tree began: a writer prunes the
 * versions of the key it writes, and a whole leaf before it would split it, so pruning a hot leaf mostly logs
 * work that the next write does for free. {@link MvccStore#collectGarbage()} prunes every leaf.
 *
 * <p>A sweep walks the leaves left to right, each under an exclusive latch, prunes what no live or future snapshot
 * can see ({@link EntryWriter#pruneLeaf}) and merges a leaf left underfull with a sibling.
 *
 * <p>Threading: {@link #start()} and {@link #close()} from the owner; {@link #sweep} from the collector thread or
 * any caller of {@link MvccStore#collectGarbage()}.
 */
final class GarbageCollector implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** A tree with noted garbage is swept at the latest after this many intervals... */
    static final int MAX_DELAY = 10;
    /** ...and sooner once it noted this many versions per page of the store (and at least {@link #MIN_NOTES}). */
    static final int NOTES_PER_PAGE = 8;
    static final int MIN_NOTES = 1024;

    private final MvccStore store;
    private final long intervalNanos;
    private volatile boolean stopped;
    private Thread thread;

    GarbageCollector(final MvccStore store, final Duration interval)
    {
        this.store = store;
        this.intervalNanos = interval.toNanos();
    }

    void start()
    {
        if (intervalNanos == 0)
        {
            return;
        }
        thread = new Thread(this, "tidemark-mvcc-gc");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        while (!stopped)
        {
            LockSupport.parkNanos(this, intervalNanos);
            for (final BTree tree : store.trees())
            {
                if (stopped)
                {
                    return;
                }
                final long notes = tree.garbageNotes();
                final long now = System.nanoTime();
                if (notes <= 0 || notes < sweepThreshold() && now - tree.lastSweepNanos < MAX_DELAY * intervalNanos)
                {
                    continue;
                }
                tree.takeGarbageNotes(notes);
                tree.lastSweepNanos = now;
                final long sweepStart = store.wal().lastAppendedLsn();
                try
                {
                    if (sweep(tree, tree.coldBelowLsn) < 0)
                    {
                        tree.noteGarbage(); // hot leaves were left for later
                    }
                    tree.coldBelowLsn = sweepStart;
                }
                catch (final FailStopException ex)
                {
                    LOG.error("garbage collection stopped: the page store takes no more changes", ex);
                    return;
                }
                catch (final RuntimeException ex)
                {
                    tree.noteGarbage();
                    tree.lastSweepNanos -= MAX_DELAY * intervalNanos;
                    LOG.warn("garbage collection of tree {} failed; it is tried again", tree.name(), ex);
                }
            }
        }
    }

    /** @return how many noted versions make a tree worth sweeping before {@link #MAX_DELAY} intervals passed */
    private long sweepThreshold()
    {
        return Math.max(MIN_NOTES, NOTES_PER_PAGE * store.pages().pageCount());
    }

    /** @return the entries changed in a sweep of every leaf of {@code tree} */
    int sweep(final BTree tree)
    {
        return sweep(tree, Long.MAX_VALUE); // skips no leaf, so never negative
    }

    /**
     * Sweeps {@code tree}, pruning only leaves last changed at or below {@code coldBelowLsn}. A leaf changed since
     * is hot: its writers prune the key they write, and the whole leaf before they would split it, so pruning it
     * now would mostly log work that the next write does for free.
     *
     * @return the entries changed, or {@code -(changed + 1)} when hot leaves were skipped
     */
    int sweep(final BTree tree, final long coldBelowLsn)
    {
        boolean skipped = false;
        final Scratch scratch = store.scratch();
        final PageStore pages = store.pages();
        final MutableDirectBuffer key = scratch.gcKey;
        int changed = 0;
        boolean rebalanced = false;
        long steps = 2 * pages.pageCount();
        PageHandle leaf = tree.descendLeftmostExclusive();
        try
        {
            while (steps-- > 0)
            {
                final MutableDirectBuffer body = leaf.body();
                int keyLength = 0;
                if (NodeLayout.count(body) > 0)
                {
                    final int entry = NodeLayout.entryOffset(body, 0);
                    keyLength = NodeLayout.keyLength(body, entry);
                    key.putBytes(0, body, NodeLayout.keyOffset(entry), keyLength);
                }
                if (leaf.pageLsn() <= coldBelowLsn)
                {
                    changed += store.entries().pruneLeaf(tree, leaf, scratch, false);
                }
                else
                {
                    skipped = true;
                }
                if (!scratch.toFree.isEmpty())
                {
                    tree.freeChains(scratch.toFree, scratch);
                }
                final boolean underflow = !rebalanced && keyLength > 0 && leaf.pageId() != tree.rootPage()
                    && NodeLayout.used(body) < tree.limits().underflow;
                rebalanced = false;
                if (underflow)
                {
                    leaf.close();
                    leaf = null;
                    store.smo().rebalance(tree, key, 0, keyLength);
                    leaf = tree.descendExclusive(key, 0, keyLength);
                    rebalanced = true;
                    continue;
                }
                final long next = NodeLayout.link(body);
                if (next == 0)
                {
                    break;
                }
                final PageHandle right = pages.pin(next, LatchMode.EXCLUSIVE);
                leaf.close();
                leaf = right;
                if (leaf.pageType() != NodeLayout.TYPE_LEAF || NodeLayout.treeId(leaf.body()) != tree.id())
                {
                    break;
                }
            }
        }
        finally
        {
            if (leaf != null)
            {
                leaf.close();
            }
        }
        return skipped ? -(changed + 1) : changed;
    }

    void close()
    {
        stopped = true;
        final Thread running = thread;
        if (running != null)
        {
            LockSupport.unpark(running);
            Threads.joinUninterruptibly(running);
        }
    }
}
