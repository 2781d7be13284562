package dev.tidemark.mvcc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One page-sized slot of the buffer pool's off-heap memory, with the page latch and the pool's bookkeeping.
 *
 * <p>Layout for the hit path: a frame <em>is</em> the buffer over its page body (it extends {@link UnsafeBuffer})
 * and holds its latch word itself, so pinning, latching and reading a cached page touches the hint table, this
 * object and the page bytes, and no further objects. A get visits one such frame per tree level, most of them
 * not in the CPU cache, so every object left out of that path is a cache miss saved.
 *
 * <p>Threading: the page bytes are guarded by the latch ({@link #latchShared} / {@link #latchExclusive}): a
 * reader-writer latch, reentrant like {@link java.util.concurrent.locks.ReentrantReadWriteLock} for the exclusive
 * holder (which may also take it shared), without fairness. A thread that cannot take it spins a little and then
 * waits on this frame's monitor. The latch and the pins share one word, {@code state}, changed atomically: pins
 * under the pool lock, or without it when a reader pins a resident page ({@link BufferPool#pin}, which pins and
 * latches shared in one CAS); a frame being taken over for another page is claimed by setting the word from 0
 * (no pin, so no latch) to {@link #CLAIMED}, which no lock-free pin passes. {@code pageId} and {@code loading}
 * are written under the pool lock before a claimed frame gets its first pin, and read by lock-free pins after
 * their pin, hence volatile. The replacement-list links, {@code recLsn}, {@code redirtied} and {@code redirtyLsn}
 * are guarded by the pool lock. {@code dirty} and {@code writeInFlight} are written under the pool lock and read
 * without it by the exclusive latch holder, hence volatile (see {@link BufferPool#markDirty} for the order that
 * makes this safe). {@code referenced} is set by lock-free pins and applied by the replacement policy under the
 * pool lock.
 */
final class Frame extends UnsafeBuffer
{
    static final int NO_LIST = 0;
    static final int FREE_LIST = 1;
    static final int PROBATION = 2;
    static final int PROTECTED = 3;
    /** The value of {@code state} while the pool lock holder takes the frame over for another page. */
    static final int CLAIMED = -1;
    private static final byte[] NO_MEMORY = new byte[0];

    /** State word: one pin. Pins are the low 14 bits. */
    private static final int PIN = 1;
    private static final int PINS_MASK = (1 << 14) - 1;
    /** State word: one shared hold of the latch. Shared holds are the next 14 bits. */
    private static final int READER = 1 << 14;
    private static final int READERS = ((1 << 14) - 1) << 14;
    /** State word: a thread waits on the monitor for a change. */
    private static final int WAITING = 1 << 28;
    /** State word: the latch is held exclusive. */
    private static final int WRITER = 1 << 29;
    /** Busy-wait rounds before a thread blocked on the latch waits on the monitor. */
    private static final int SPINS = 64;

    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(Frame.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final int index;
    /** The whole page, header included; null until the pool gives the frame its memory ({@link #attach}). */
    ByteBuffer page;
    final UnsafeBuffer whole;
    final CRC32C loadCrc = new CRC32C();
    final PageHandle shared;
    final PageHandle exclusive;

    volatile long pageId = -1;
    /**
     * Pins, the latch and its waiters in one word, so that a lookup pins and latches a page with one CAS and lets
     * go of both with one add: {@link #CLAIMED}, or pins (bits 0-13), shared holds (bits 14-27), a waiter (bit
     * 28) and the exclusive hold (bit 29).
     */
    volatile int state;
    volatile boolean loading;
    volatile boolean referenced;
    /** The exclusive holder; each thread compares it only with itself, so a plain field is enough. */
    private Thread owner;
    /** Extra exclusive holds of {@link #owner} (reentrant latching); the owner's only. */
    private int ownerHolds;
    long recLsn;
    long redirtyLsn;
    boolean redirtied;
    volatile boolean dirty;
    volatile boolean writeInFlight;

    int list = NO_LIST;
    int prev = -1;
    int next = -1;

    /** A frame with no memory yet: {@link #attach} gives it its page before it first holds one. */
    Frame(final BufferPool pool, final int index)
    {
        super(NO_MEMORY);
        this.index = index;
        this.whole = new UnsafeBuffer(NO_MEMORY);
        this.shared = new PageHandle(pool, this, LatchMode.SHARED);
        this.exclusive = new PageHandle(pool, this, LatchMode.EXCLUSIVE);
    }

    Frame(final BufferPool pool, final int index, final ByteBuffer page)
    {
        this(pool, index);
        attach(page);
    }

    /**
     * Gives the frame its page memory. Called once, by the pool lock holder, before the frame first holds a page;
     * the frame reaches other threads only after that (through the page table or the hints), so they see it.
     */
    void attach(final ByteBuffer page)
    {
        wrap(page, PageLayout.HEADER_LENGTH, page.capacity() - PageLayout.HEADER_LENGTH);
        whole.wrap(page);
        this.page = page;
    }

    /** @return the pins (0 when claimed, which is no pin) */
    int pins()
    {
        final int current = state;
        return current < 0 ? 0 : current & PINS_MASK;
    }

    /** @return whether the frame has no pin and is not claimed */
    boolean unpinned()
    {
        final int current = state;
        return current >= 0 && (current & PINS_MASK) == 0;
    }

    /** Adds a pin unless the frame is claimed. @return whether it did */
    boolean tryPin()
    {
        while (true)
        {
            final int current = state;
            if (current < 0)
            {
                return false;
            }
            if (STATE.compareAndSet(this, current, current + PIN))
            {
                return true;
            }
        }
    }

    /**
     * The lookup's fast path: adds a pin and a shared hold in one step, unless the frame is claimed or held
     * exclusive. @return whether it did
     */
    boolean tryPinShared()
    {
        final int current = state;
        return current >= 0 && (current & WRITER) == 0 && STATE.compareAndSet(this, current, current + PIN + READER);
    }

    /** Adds a pin to a frame that is not claimed (under the pool lock). */
    void pin()
    {
        STATE.getAndAdd(this, PIN);
    }

    /** Gives a claimed frame its first pin (under the pool lock), which publishes what was set before. */
    void pinClaimed()
    {
        state = PIN;
    }

    /** @return the pins left */
    int unpin()
    {
        return ((int)STATE.getAndAdd(this, -PIN) - PIN) & PINS_MASK;
    }

    /** Claims a frame with no pin (hence no latch holder). @return false when it is pinned */
    boolean claim()
    {
        return STATE.compareAndSet(this, 0, CLAIMED);
    }

    // ------------------------------------------------------------------------------------------------ latch

    /** Takes the latch shared, waiting while another thread holds it exclusive. The caller holds a pin. */
    void latchShared()
    {
        final int current = state;
        if ((current & WRITER) != 0 || !STATE.compareAndSet(this, current, current + READER))
        {
            acquire(false);
        }
    }

    /** Takes the latch shared unless another thread holds it exclusive. @return whether it did */
    boolean tryLatchShared()
    {
        while (true)
        {
            final int current = state;
            if ((current & WRITER) != 0 && owner != Thread.currentThread())
            {
                return false;
            }
            if (STATE.compareAndSet(this, current, current + READER))
            {
                return true;
            }
        }
    }

    void unlatchShared()
    {
        final int current = (int)STATE.getAndAdd(this, -READER) - READER;
        if ((current & WAITING) != 0 && (current & (READERS | WRITER)) == 0)
        {
            wakeWaiters();
        }
    }

    /** Lets go of a shared hold and a pin in one step. @return the pins left */
    int unlatchSharedAndUnpin()
    {
        final int current = (int)STATE.getAndAdd(this, -(READER + PIN)) - (READER + PIN);
        if ((current & WAITING) != 0 && (current & (READERS | WRITER)) == 0)
        {
            wakeWaiters();
        }
        return current & PINS_MASK;
    }

    /** Takes the latch exclusive, waiting while any other thread holds it. The caller holds a pin. */
    void latchExclusive()
    {
        final int current = state;
        if ((current & (READERS | WRITER)) == 0 && STATE.compareAndSet(this, current, current | WRITER))
        {
            owner = Thread.currentThread();
        }
        else if (owner == Thread.currentThread())
        {
            ownerHolds++;
        }
        else
        {
            acquire(true);
            owner = Thread.currentThread();
        }
    }

    void unlatchExclusive()
    {
        if (ownerHolds > 0)
        {
            ownerHolds--;
            return;
        }
        owner = null;
        final int current = (int)STATE.getAndAdd(this, -WRITER) - WRITER;
        if ((current & WAITING) != 0)
        {
            wakeWaiters();
        }
    }

    /** The slow path of taking the latch: the owner's reentrant shared hold, spinning, then waiting. */
    private void acquire(final boolean exclusive)
    {
        final Thread self = Thread.currentThread();
        boolean interrupted = false;
        int spins = 0;
        while (true)
        {
            final int current = state;
            final boolean free;
            if (exclusive)
            {
                free = (current & (WRITER | READERS)) == 0;
            }
            else
            {
                free = (current & WRITER) == 0 || owner == self;
            }
            if (free)
            {
                if (STATE.compareAndSet(this, current, exclusive ? current | WRITER : current + READER))
                {
                    break;
                }
                continue;
            }
            if (spins++ < SPINS)
            {
                Thread.onSpinWait();
                continue;
            }
            synchronized (this)
            {
                // WAITING goes in only while the state still blocks this thread, so that the release (which wakes
                // the waiters under this monitor) cannot have happened unseen; pins coming and going just retry
                final int now = state;
                final boolean stillBlocked = exclusive ? (now & (WRITER | READERS)) != 0
                    : (now & WRITER) != 0 && owner != self;
                if (stillBlocked
                    && ((now & WAITING) != 0 || STATE.compareAndSet(this, now, now | WAITING)))
                {
                    try
                    {
                        wait();
                    }
                    catch (final InterruptedException ex)
                    {
                        interrupted = true;
                    }
                }
            }
        }
        if (interrupted)
        {
            self.interrupt();
        }
    }

    private void wakeWaiters()
    {
        synchronized (this)
        {
            while (true)
            {
                final int current = state;
                if ((current & WAITING) == 0 || STATE.compareAndSet(this, current, current & ~WAITING))
                {
                    break;
                }
            }
            notifyAll();
        }
    }

    long pageLsn()
    {
        return page.getLong(PageLayout.LSN_OFFSET);
    }

    PageHandle handle(final LatchMode mode)
    {
        return mode == LatchMode.SHARED ? shared : exclusive;
    }
}
