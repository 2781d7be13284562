package dev.tidemark.mvcc;

import org.agrona.collections.Long2LongHashMap;

/**
 * The replacement policy: 2Q (Johnson and Shasha, VLDB 1994) over intrusive lists of frames.
 *
 * <ul>
 * <li>A page brought in enters PROBATION (2Q's A1in, FIFO), unless it was evicted from probation recently: its id
 *     is then still in the ghost list (A1out, page ids only) and it enters PROTECTED (Am, LRU).</li>
 * <li>A page referenced again while on probation moves to PROTECTED; a hit in PROTECTED moves it to the MRU end.</li>
 * <li>Victims come from the head of PROBATION while it holds more than a quarter of the frames, otherwise from the
 *     LRU end of PROTECTED; the other list is searched when the first has no candidate.</li>
 * </ul>
 * A scan references each page once, so its pages pass through probation and evict each other while the pages
 * referenced twice stay in PROTECTED: a full scan cannot flush the hot set.
 *
 * <p>Not thread-safe: every method is called under the buffer pool's lock. Hits on the buffer pool's lock-free
 * path only set {@link Frame#referenced}; the policy applies them when a victim search meets the frame, so the
 * order is LRU with a second chance for those hits.
 */
final class TwoQueuePolicy
{
    /** Decides whether a frame may be chosen. */
    interface Candidate
    {
        boolean test(Frame frame);
    }

    private final Frame[] frames;
    private final int probationTarget;
    private final int[] heads = {-1, -1, -1, -1};
    private final int[] tails = {-1, -1, -1, -1};
    private final int[] sizes = new int[4];
    private final long[] ghostRing;
    private final Long2LongHashMap ghosts = new Long2LongHashMap(-1);
    private long ghostSequence;

    TwoQueuePolicy(final Frame[] frames)
    {
        this.frames = frames;
        this.probationTarget = Math.max(1, frames.length / 4);
        this.ghostRing = new long[Math.max(1, frames.length / 2)];
        for (final Frame frame : frames)
        {
            append(Frame.FREE_LIST, frame);
        }
    }

    /** @return a frame that holds no page, or null. */
    Frame pollFree()
    {
        final int head = heads[Frame.FREE_LIST];
        if (head < 0)
        {
            return null;
        }
        final Frame frame = frames[head];
        remove(frame);
        return frame;
    }

    /** Returns a frame whose page was dropped (or never loaded) to the free list. */
    void release(final Frame frame)
    {
        if (frame.list != Frame.NO_LIST)
        {
            remove(frame);
        }
        append(Frame.FREE_LIST, frame);
    }

    /** A page was brought into {@code frame}. */
    void admitted(final Frame frame)
    {
        frame.referenced = false;
        final long sequence = ghosts.remove(frame.pageId);
        append(sequence >= 0 ? Frame.PROTECTED : Frame.PROBATION, frame);
    }

    /** A resident page was pinned again. */
    void hit(final Frame frame)
    {
        frame.referenced = false;
        if (frame.list == Frame.PROTECTED && tails[Frame.PROTECTED] == frame.index)
        {
            return;
        }
        if (frame.list == Frame.PROBATION || frame.list == Frame.PROTECTED)
        {
            remove(frame);
            append(Frame.PROTECTED, frame);
        }
    }

    /** The page of {@code frame} is being evicted; the frame leaves its list. */
    void evicted(final Frame frame)
    {
        frame.referenced = false;
        final boolean onProbation = frame.list == Frame.PROBATION;
        remove(frame);
        if (onProbation)
        {
            final int slot = (int)(ghostSequence % ghostRing.length);
            if (ghostSequence >= ghostRing.length)
            {
                final long old = ghostRing[slot];
                if (ghosts.get(old) == ghostSequence - ghostRing.length)
                {
                    ghosts.remove(old);
                }
            }
            ghostRing[slot] = frame.pageId;
            ghosts.put(frame.pageId, ghostSequence++);
        }
    }

    /** @return the first frame in eviction order that {@code candidate} accepts, or null. */
    Frame victim(final Candidate candidate)
    {
        final int first = sizes[Frame.PROBATION] > probationTarget ? Frame.PROBATION : Frame.PROTECTED;
        final Frame found = search(first, candidate);
        return found != null ? found : search(first == Frame.PROBATION ? Frame.PROTECTED : Frame.PROBATION,
            candidate);
    }

    /**
     * Calls {@code candidate} for resident frames in eviction order until it returns false.
     */
    void forEachInEvictionOrder(final Candidate candidate)
    {
        final int first = sizes[Frame.PROBATION] > probationTarget ? Frame.PROBATION : Frame.PROTECTED;
        final int second = first == Frame.PROBATION ? Frame.PROTECTED : Frame.PROBATION;
        for (int at = heads[first]; at >= 0; at = frames[at].next)
        {
            if (!candidate.test(frames[at]))
            {
                return;
            }
        }
        for (int at = heads[second]; at >= 0; at = frames[at].next)
        {
            if (!candidate.test(frames[at]))
            {
                return;
            }
        }
    }

    int probationSize()
    {
        return sizes[Frame.PROBATION];
    }

    int protectedSize()
    {
        return sizes[Frame.PROTECTED];
    }

    /**
     * The first frame of {@code list} that {@code candidate} accepts. A frame pinned without the pool lock since
     * the policy last looked ({@link Frame#referenced}) gets its hit first: it moves to the MRU end of PROTECTED
     * and the search goes on (at most once per frame of the list, so that pins racing the search cannot keep it
     * going).
     */
    private Frame search(final int list, final Candidate candidate)
    {
        int hitsLeft = sizes[list];
        int at = heads[list];
        while (at >= 0)
        {
            final Frame frame = frames[at];
            int next = frame.next;
            if (frame.referenced && hitsLeft > 0)
            {
                hitsLeft--;
                hit(frame);
                if (next < 0 && list == Frame.PROTECTED)
                {
                    next = frame.index; // it was the tail and is again: look at it now
                }
                at = next;
                continue;
            }
            if (candidate.test(frame))
            {
                return frame;
            }
            at = next;
        }
        return null;
    }

    private void append(final int list, final Frame frame)
    {
        frame.list = list;
        frame.next = -1;
        frame.prev = tails[list];
        if (tails[list] >= 0)
        {
            frames[tails[list]].next = frame.index;
        }
        else
        {
            heads[list] = frame.index;
        }
        tails[list] = frame.index;
        sizes[list]++;
    }

    private void remove(final Frame frame)
    {
        final int list = frame.list;
        if (frame.prev >= 0)
        {
            frames[frame.prev].next = frame.next;
        }
        else
        {
            heads[list] = frame.next;
        }
        if (frame.next >= 0)
        {
            frames[frame.next].prev = frame.prev;
        }
        else
        {
            tails[list] = frame.prev;
        }
        sizes[list]--;
        frame.list = Frame.NO_LIST;
        frame.prev = -1;
        frame.next = -1;
    }
}
