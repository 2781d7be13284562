package dev.tidemark.mvcc;

import dev.tidemark.FailStopException;
import dev.tidemark.UnsupportedFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.collections.Long2LongHashMap;

/**
 * The buffer pool: a fixed set of off-heap page frames (their memory allocated in 8 MiB arenas as frames are
 * first used, so that a small database does not hold the whole cache resident), a page table, pins, page
 * latches, 2Q replacement ({@link TwoQueuePolicy}), the dirty-page table (each dirty page's recLSN) and page
 * writes in batches through the {@link Doublewrite} area.
 *
 * <p><b>WAL rule.</b> Before a batch is written, the log must be durable up to the highest page LSN in it:
 * {@link LogForce#durableLsn()} is compared and, when short, {@link LogForce#awaitDurable(long)} called. No
 * monitor is shared with the log.
 *
 * <p><b>Locks</b>, in the order they may be taken: a page latch (held by a caller), then {@code flushLock} (one
 * batch at a time; it owns the doublewrite buffers), then {@code lock} (page table, pins, lists, dirty flags;
 * never held across I/O or while blocking on anything else). While holding {@code flushLock} a thread takes page
 * latches only with {@code tryLock}: a page whose latch is busy is skipped and retried later, so a flush never
 * waits for a latch holder that may itself be waiting for a free frame.
 *
 * <p><b>Dirty pages.</b> A write copies the page under its shared latch and marks it write-in-flight; it stays in
 * the dirty-page table until the write completes. A change during the write keeps it dirty with the recLSN of
 * that change. A failed write or force latches the pool: every later change or write fails with
 * {@link FailStopException}; pages already read stay readable.
 */
final class BufferPool
{
    private final PageFile file;
    private final Doublewrite doublewrite;
    private final LogForce log;
    /** The pool's memory is allocated in arenas of this size as frames are first used, not all at open. */
    private static final int ARENA_BYTES = 8 << 20;

    private final Frame[] frames;
    private final ByteBuffer[] arenas;
    private final int framesPerArena;
    private final TwoQueuePolicy policy;
    private final Long2LongHashMap table = new Long2LongHashMap(-1);
    /** Page id (masked) to the frame that held it last: the hit path's guess, checked after pinning. */
    private final Frame[] hints;
    private final int hintMask;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition writerWake = lock.newCondition();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final Frame[] batch;
    private final Frame[] written;
    private final TwoQueuePolicy.Candidate cleanUnpinned = f -> f.unpinned() && !f.dirty && !f.loading;
    private final TwoQueuePolicy.Candidate dirtyUnpinned = f -> f.unpinned() && f.dirty && !f.writeInFlight;
    private final TwoQueuePolicy.Candidate collector = this::collect;

    /** Threads waiting for {@link #changed}; volatile: a lock-free unpin reads it. */
    private volatile int waiters;
    private int inFlight;
    private int dirtyCount;
    private boolean writerWanted;
    private boolean writerStopped;
    private volatile FailStopException failure;

    private boolean collectPinned;
    private long collectUpTo;
    private int collected;

    BufferPool(final PageFile file, final Doublewrite doublewrite, final LogForce log, final int frameCount)
    {
        this.file = file;
        this.doublewrite = doublewrite;
        this.log = log;
        final int pageSize = file.pageSize();
        this.frames = new Frame[frameCount];
        for (int i = 0; i < frameCount; i++)
        {
            frames[i] = new Frame(this, i);
        }
        this.framesPerArena = Math.max(1, ARENA_BYTES / pageSize);
        this.arenas = new ByteBuffer[(frameCount + framesPerArena - 1) / framesPerArena];
        this.policy = new TwoQueuePolicy(frames);
        this.hints = new Frame[Math.max(64, Integer.highestOneBit(Math.max(1, frameCount - 1)) << 2)];
        this.hintMask = hints.length - 1;
        this.batch = new Frame[doublewrite.capacity()];
        this.written = new Frame[doublewrite.capacity()];
    }

    /**
     * Under {@code lock}: gives a frame that never held a page its memory, allocating its arena first when none of
     * the arena's frames has been used. Free frames are handed out in index order, so the pool's resident memory
     * grows with the pages it has held, up to its size.
     */
    private void attachMemory(final Frame frame)
    {
        final int arena = frame.index / framesPerArena;
        if (arenas[arena] == null)
        {
            final int first = arena * framesPerArena;
            arenas[arena] = ByteBuffer.allocateDirect(Math.min(framesPerArena, frames.length - first) * file.pageSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        }
        final int pageSize = file.pageSize();
        frame.attach(PageLayout.slice(arenas[arena], (frame.index % framesPerArena) * pageSize, pageSize));
    }

    int frameCount()
    {
        return frames.length;
    }

    /**
     * Pins page {@code pageId} and latches it in {@code mode}, reading it from the file on a miss ({@code read})
     * or installing a zeroed frame without I/O (a page about to be formatted).
     */
    PageHandle pin(final long pageId, final LatchMode mode, final boolean read)
    {
        return pinFrame(pageId, mode, read).handle(mode);
    }

    /** {@link #pin} without the handle: the latched frame, to be let go by {@link #release}. */
    Frame pinFrame(final long pageId, final LatchMode mode, final boolean read)
    {
        if (mode == LatchMode.SHARED)
        {
            final Frame hit = pinResident(pageId, true);
            if (hit != null)
            {
                return hit;
            }
        }
        Frame frame = pinResident(pageId, false);
        if (frame == null)
        {
            frame = fix(pageId);
            if (frame.loading)
            {
                load(frame, read);
            }
        }
        if (mode == LatchMode.SHARED)
        {
            frame.latchShared();
        }
        else
        {
            frame.latchExclusive();
        }
        return frame;
    }

    /** Releases the latch (in {@code mode}) and the pin of a frame from {@link #pinFrame}. */
    void release(final Frame frame, final LatchMode mode)
    {
        if (mode == LatchMode.SHARED)
        {
            unpinned(frame.unlatchSharedAndUnpin());
        }
        else
        {
            frame.unlatchExclusive();
            unpin(frame);
        }
    }

    /**
     * The hit path, without the pool lock: the frame the hint table names for {@code pageId} is pinned, then
     * checked to hold that page, loaded. A claimed frame (being taken over) refuses the pin; a frame taken over
     * before the pin fails the check. The hit is noted for the replacement policy, which applies it later. With
     * {@code latchShared} the pin and the shared latch are taken in one step; a frame held exclusive is then left
     * to the locked path, which pins it and waits for the latch.
     *
     * @return the pinned (and, when asked, latched) frame, or null (take the locked path)
     */
    private Frame pinResident(final long pageId, final boolean latchShared)
    {
        final Frame frame = hints[(int)pageId & hintMask];
        if (frame == null || !(latchShared ? frame.tryPinShared() : frame.tryPin()))
        {
            return null;
        }
        // loading first: a failed load clears it after it clears pageId, so seeing it clear proves pageId is current
        // (a frame being loaded is latched by nobody else, so a shared latch taken on it is let go at once)
        if (frame.loading || frame.pageId != pageId)
        {
            unpinned(latchShared ? frame.unlatchSharedAndUnpin() : frame.unpin());
            return null;
        }
        if (!frame.referenced)
        {
            frame.referenced = true;
        }
        return frame;
    }

    private Frame fix(final long pageId)
    {
        lock.lock();
        try
        {
            while (true)
            {
                final int index = (int)table.get(pageId);
                if (index >= 0)
                {
                    final Frame frame = frames[index];
                    if (frame.loading)
                    {
                        awaitChange();
                        continue;
                    }
                    frame.pin();
                    policy.hit(frame);
                    hints[(int)pageId & hintMask] = frame;
                    return frame;
                }
                final Frame frame = takeFrame();
                if (frame != null)
                {
                    frame.pageId = pageId;
                    frame.loading = true;
                    frame.pinClaimed(); // from CLAIMED: publishes pageId and loading to lock-free pins
                    inFlight++;
                    table.put(pageId, frame.index);
                    hints[(int)pageId & hintMask] = frame;
                    return frame;
                }
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Under {@code lock}: a claimed free or clean unpinned frame, or null after waiting or writing, or when a
     * lock-free pin took the victim first (the caller retries).
     */
    private Frame takeFrame()
    {
        final Frame free = policy.pollFree();
        if (free != null)
        {
            if (free.claim())
            {
                if (free.page == null)
                {
                    attachMemory(free);
                }
                return free;
            }
            // a lock-free pin that read a stale hint holds it for a moment and lets go when its check fails: put
            // the frame back and wait a little (not holding the lock) rather than spin
            policy.release(free);
            awaitChange();
            return null;
        }
        final Frame victim = policy.victim(cleanUnpinned);
        if (victim != null)
        {
            if (!victim.claim())
            {
                return null;
            }
            table.remove(victim.pageId);
            policy.evicted(victim);
            victim.pageId = -1;
            return victim;
        }
        if (policy.victim(dirtyUnpinned) != null)
        {
            writerWanted = true;
            writerWake.signal();
            if (flushLock.tryLock())
            {
                lock.unlock();
                try
                {
                    flushBatch(false, Long.MAX_VALUE);
                }
                finally
                {
                    flushLock.unlock();
                    lock.lock();
                }
                return null;
            }
            awaitChange();
            return null;
        }
        if (inFlight > 0)
        {
            awaitChange();
            return null;
        }
        throw new BufferPoolExhaustedException("all " + frames.length + " frames of the buffer pool of "
            + file.path() + " are pinned; close page handles sooner or configure a larger pool");
    }

    private void load(final Frame frame, final boolean read)
    {
        try
        {
            if (read)
            {
                file.readPage(frame.pageId, frame.page, frame.loadCrc);
            }
            else
            {
                frame.page.clear();
                PageLayout.format(frame.page, frame.pageId, PageLayout.TYPE_NONE);
            }
            if (frame.page.getShort(PageLayout.VERSION_OFFSET) == 0)
            {
                PageLayout.format(frame.page, frame.pageId, PageLayout.TYPE_NONE);
            }
            requireKnownNodeLayout(frame);
        }
        catch (final RuntimeException ex)
        {
            lock.lock();
            try
            {
                table.remove(frame.pageId);
                frame.pageId = -1;
                frame.loading = false;
                frame.unpin(); // atomically: a failed lock-free pin may be letting go at the same time
                inFlight--;
                policy.release(frame);
                changed();
            }
            finally
            {
                lock.unlock();
            }
            throw ex;
        }
        lock.lock();
        try
        {
            frame.loading = false;
            inFlight--;
            policy.admitted(frame);
            changed();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Tree nodes carry their own layout version, which the tree does not check on every access: a node written
     * by a build with another layout is refused here, when it enters the pool, rather than misread.
     */
    private void requireKnownNodeLayout(final Frame frame)
    {
        final int type = frame.page.get(PageLayout.TYPE_OFFSET) & 0xFF;
        if ((type == NodeLayout.TYPE_LEAF || type == NodeLayout.TYPE_INNER)
            && NodeLayout.version(frame) != NodeLayout.VERSION)
        {
            throw new UnsupportedFormatException(file.path(), "tree node layout (page " + frame.pageId + ")",
                NodeLayout.version(frame), NodeLayout.VERSION);
        }
    }

    void unpin(final Frame frame)
    {
        unpinned(frame.unpin());
    }

    /** Wakes threads waiting for a frame when the last pin of one went ({@code pinsLeft} 0). */
    private void unpinned(final int pinsLeft)
    {
        if (pinsLeft == 0 && waiters > 0)
        {
            lock.lock();
            try
            {
                changed();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** Called by the EXCLUSIVE latch holder after changing the page at {@code lsn}. */
    void markDirty(final Frame frame, final long lsn)
    {
        requireNoFailure();
        frame.page.putLong(PageLayout.LSN_OFFSET, lsn);
        noteDirty(frame, lsn);
    }

    /**
     * Called by the EXCLUSIVE latch holder before it appends the log record of a change it is about to make: the
     * page enters the dirty-page table now, with recLSN {@code lowerBound} (at most the record's LSN). A checkpoint
     * that reads the log end after this finds the page dirty, waits for the latch and writes the page with the
     * change, instead of missing the page and retiring the record (a change is logged before it is applied).
     */
    void preDirty(final Frame frame, final long lowerBound)
    {
        requireNoFailure();
        noteDirty(frame, lowerBound);
    }

    private void requireNoFailure()
    {
        final FailStopException failed = failure;
        if (failed != null)
        {
            throw new FailStopException("the page store of " + file.path() + " takes no changes after a failed "
                + "page write; close and reopen it", failed);
        }
    }

    private void noteDirty(final Frame frame, final long lsn)
    {
        // read writeInFlight before dirty: a completing write clears dirty first, then writeInFlight
        if (frame.writeInFlight || !frame.dirty)
        {
            lock.lock();
            try
            {
                if (!frame.dirty)
                {
                    frame.recLsn = lsn;
                    frame.dirty = true;
                    dirtyCount++;
                }
                else if (frame.writeInFlight && !frame.redirtied)
                {
                    frame.redirtied = true;
                    frame.redirtyLsn = lsn;
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Writes dirty pages whose recLSN is at most {@code upToLsn} until none is left (pages changed meanwhile at a
     * higher LSN are left for the next call). Waits for pages latched by others. Use {@code Long.MAX_VALUE} for
     * every dirty page; with writers still changing pages at ever lower LSNs it may not end.
     */
    void flushUpTo(final long upToLsn)
    {
        while (true)
        {
            flushLock.lock();
            try
            {
                if (flushBatch(true, upToLsn) > 0)
                {
                    continue;
                }
            }
            finally
            {
                flushLock.unlock();
            }
            lock.lock();
            try
            {
                if (!hasDirtyUpTo(upToLsn))
                {
                    return;
                }
                awaitChange();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** Page writer: one batch of unpinned dirty pages in eviction order when the pool needs clean frames. */
    boolean cleanOnce()
    {
        flushLock.lock();
        try
        {
            return flushBatch(false, Long.MAX_VALUE) > 0;
        }
        finally
        {
            flushLock.unlock();
        }
    }

    /** Page writer: waits until the pool wants cleaning or {@code nanos} passed. */
    boolean awaitCleaningNeeded(final long nanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            long left = nanos;
            while (left > 0 && !writerStopped && !needsCleaning())
            {
                left = writerWake.awaitNanos(left);
            }
            return !writerStopped && needsCleaning();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Page writer: waits {@code nanos} or until {@link #stopWriter()}. */
    void pauseWriter(final long nanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            if (!writerStopped)
            {
                writerWake.awaitNanos(nanos);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Makes the page writer's waits return at once, now and from now on. */
    void stopWriter()
    {
        lock.lock();
        try
        {
            writerStopped = true;
            writerWake.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private boolean needsCleaning()
    {
        if (failure != null)
        {
            return false;
        }
        if (dirtyCount <= frames.length / 2)
        {
            writerWanted = false;
        }
        return writerWanted || dirtyCount > frames.length - frames.length / 4;
    }

    /**
     * Under {@code flushLock}: collects up to one batch of dirty pages (unpinned only unless {@code pinnedToo}),
     * copies each whose latch is free, keeps the WAL rule and writes them through the doublewrite area.
     *
     * @return the pages written
     */
    private int flushBatch(final boolean pinnedToo, final long upToLsn)
    {
        final int count = collectBatch(pinnedToo, upToLsn);
        int copies = 0;
        long maxLsn = 0;
        for (int i = 0; i < count; i++)
        {
            final Frame frame = batch[i];
            batch[i] = null;
            if (frame.tryLatchShared())
            {
                try
                {
                    final ByteBuffer slot = doublewrite.slot(doublewrite.add(frame.pageId));
                    slot.clear();
                    slot.put(frame.page.duplicate().clear()).clear();
                    slot.putShort(PageLayout.VERSION_OFFSET, PageLayout.FORMAT_VERSION);
                    slot.putLong(PageLayout.PAGE_ID_OFFSET, frame.pageId);
                    maxLsn = Math.max(maxLsn, PageLayout.lsn(slot));
                    beginWrite(frame);
                    written[copies++] = frame;
                }
                finally
                {
                    frame.unlatchShared();
                }
            }
            else
            {
                dropCollected(frame);
            }
        }
        if (copies == 0)
        {
            return 0;
        }
        try
        {
            if (log.durableLsn() < maxLsn)
            {
                log.awaitDurable(maxLsn);
            }
            if (log.durableLsn() < maxLsn)
            {
                throw new IllegalStateException("the log reported LSN " + maxLsn + " durable but its durable LSN is "
                    + log.durableLsn());
            }
            doublewrite.write();
        }
        catch (final IOException | RuntimeException ex)
        {
            doublewrite.clear();
            final FailStopException stop = new FailStopException("writing " + copies + " pages to " + file.path()
                + " failed; the page store takes no more changes. Close and reopen it: the doublewrite area and"
                + " the log restore a consistent state", ex);
            endWrites(copies, false);
            failure = stop;
            throw stop;
        }
        endWrites(copies, true);
        return copies;
    }

    private int collectBatch(final boolean pinnedToo, final long upToLsn)
    {
        lock.lock();
        try
        {
            final FailStopException failed = failure;
            if (failed != null)
            {
                throw new FailStopException("the page store of " + file.path() + " writes no pages after a failed "
                    + "page write; close and reopen it", failed);
            }
            collectPinned = pinnedToo;
            collectUpTo = upToLsn;
            collected = 0;
            policy.forEachInEvictionOrder(collector);
            return collected;
        }
        finally
        {
            lock.unlock();
        }
    }

    private boolean collect(final Frame frame)
    {
        if (frame.dirty && !frame.writeInFlight && !frame.loading && frame.recLsn <= collectUpTo
            && (collectPinned || frame.unpinned()))
        {
            frame.pin();
            // counted in flight from here: a thread short of frames waits for this batch instead of giving up
            inFlight++;
            batch[collected++] = frame;
        }
        return collected < batch.length;
    }

    /** A collected page whose latch was busy: not written this time. */
    private void dropCollected(final Frame frame)
    {
        lock.lock();
        try
        {
            frame.unpin();
            inFlight--;
            changed();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void beginWrite(final Frame frame)
    {
        lock.lock();
        try
        {
            frame.redirtied = false;
            frame.writeInFlight = true;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void endWrites(final int count, final boolean success)
    {
        lock.lock();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final Frame frame = written[i];
                written[i] = null;
                if (success)
                {
                    if (frame.redirtied)
                    {
                        frame.recLsn = frame.redirtyLsn;
                    }
                    else
                    {
                        frame.dirty = false;
                        dirtyCount--;
                    }
                }
                frame.redirtied = false;
                frame.writeInFlight = false;
                frame.unpin();
                inFlight--;
            }
            changed();
        }
        finally
        {
            lock.unlock();
        }
    }

    private boolean hasDirtyUpTo(final long upToLsn)
    {
        for (final Frame frame : frames)
        {
            if (frame.dirty && frame.recLsn <= upToLsn)
            {
                return true;
            }
        }
        return false;
    }

    /** @return a copy of the dirty-page table: page id to recLSN, pages being written included. */
    Map<Long, Long> dirtyPages()
    {
        lock.lock();
        try
        {
            final Map<Long, Long> pages = new TreeMap<>();
            for (final Frame frame : frames)
            {
                if (frame.dirty)
                {
                    pages.put(frame.pageId, frame.recLsn);
                }
            }
            return pages;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return whether page {@code pageId} is resident (for tests and diagnostics). */
    boolean isResident(final long pageId)
    {
        lock.lock();
        try
        {
            return table.containsKey(pageId);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @return the failure that stopped the pool, or null. */
    FailStopException failure()
    {
        return failure;
    }

    /** Under {@code lock}: something a waiter may care about happened. */
    private void changed()
    {
        if (waiters > 0)
        {
            changed.signalAll();
        }
    }

    /** Under {@code lock}: waits for {@link #changed()}, bounded so that no missed signal can hang a caller. */
    private void awaitChange()
    {
        waiters++;
        try
        {
            changed.await(10, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new dev.tidemark.TidemarkException("interrupted while waiting for a buffer pool frame", ex);
        }
        finally
        {
            waiters--;
        }
    }
}
