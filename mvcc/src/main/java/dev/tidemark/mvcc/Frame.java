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
 * reader-writer latch in one int, reentrant like {@link java.util.concurrent.locks.ReentrantReadWriteLock} for
 * the exclusive holder (which may also take it shared), without fairness. A thread that cannot take it spins a
 * little and then waits on this frame's monitor. {@code pins} changes atomically: under the pool lock, or
 * without it when a reader pins a resident page ({@link BufferPool#pin}); a frame being taken over for another
 * page is claimed by setting {@code pins} from 0 to {@link #CLAIMED}, which no lock-free pin passes.
 * {@code pageId} and {@code loading} are written under the pool lock before a claimed frame's pins become 1, and
 * read by lock-free pins after their pin, hence volatile. The replacement-list links, {@code recLsn},
 * {@code redirtied} and {@code redirtyLsn} are guarded by the pool lock. {@code dirty} and {@code writeInFlight}
 * are written under the pool lock and read without it by the exclusive latch holder, hence volatile (see
 * {@link BufferPool#markDirty} for the order that makes this safe). {@code referenced} is set by lock-free pins
 * and applied by the replacement policy under the pool lock.
 */
final class Frame extends UnsafeBuffer
{
    static final int NO_LIST = 0;
    static final int FREE_LIST = 1;
    static final int PROBATION = 2;
    static final int PROTECTED = 3;
    /** The value of {@code pins} while the pool lock holder takes the frame over for another page. */
    static final int CLAIMED = -1;

    /** Latch word: held exclusive. */
    private static final int WRITER = 1 << 30;
    /** Latch word: a thread waits on the monitor for a change. */
    private static final int WAITING = 1 << 29;
    /** Latch word: the shared holds. */
    private static final int READERS = WAITING - 1;
    /** Busy-wait rounds before a thread blocked on the latch waits on the monitor. */
    private static final int SPINS = 64;

    private static final VarHandle PINS;
    private static final VarHandle LATCH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PINS = lookup.findVarHandle(Frame.class, "pins", int.class);
            LATCH = lookup.findVarHandle(Frame.class, "latch", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final int index;
    final ByteBuffer page;
    final UnsafeBuffer whole;
    final CRC32C loadCrc = new CRC32C();
    final PageHandle shared;
    final PageHandle exclusive;

    volatile long pageId = -1;
    volatile int pins;
    volatile int latch;
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

    Frame(final BufferPool pool, final int index, final ByteBuffer page)
    {
        super(page, PageLayout.HEADER_LENGTH, page.capacity() - PageLayout.HEADER_LENGTH);
        this.index = index;
        this.page = page;
        this.whole = new UnsafeBuffer(page);
        this.shared = new PageHandle(pool, this, LatchMode.SHARED);
        this.exclusive = new PageHandle(pool, this, LatchMode.EXCLUSIVE);
    }

    /** Adds a pin unless the frame is claimed. @return whether it did */
    boolean tryPin()
    {
        while (true)
        {
            final int current = pins;
            if (current < 0)
            {
                return false;
            }
            if (PINS.compareAndSet(this, current, current + 1))
            {
                return true;
            }
        }
    }

    /** Adds a pin to a frame that is not claimed (under the pool lock). */
    void pin()
    {
        PINS.getAndAdd(this, 1);
    }

    /** @return the pins left */
    int unpin()
    {
        return (int)PINS.getAndAdd(this, -1) - 1;
    }

    /** Claims an unpinned frame. @return false when it is pinned */
    boolean claim()
    {
        return PINS.compareAndSet(this, 0, CLAIMED);
    }

    // ------------------------------------------------------------------------------------------------ latch

    /** Takes the latch shared, waiting while another thread holds it exclusive. */
    void latchShared()
    {
        final int state = latch;
        if ((state & WRITER) != 0 || !LATCH.compareAndSet(this, state, state + 1))
        {
            acquire(false);
        }
    }

    /** Takes the latch shared unless another thread holds it exclusive. @return whether it did */
    boolean tryLatchShared()
    {
        while (true)
        {
            final int state = latch;
            if ((state & WRITER) != 0 && owner != Thread.currentThread())
            {
                return false;
            }
            if (LATCH.compareAndSet(this, state, state + 1))
            {
                return true;
            }
        }
    }

    void unlatchShared()
    {
        final int state = (int)LATCH.getAndAdd(this, -1) - 1;
        if ((state & WAITING) != 0 && (state & (READERS | WRITER)) == 0)
        {
            wakeWaiters();
        }
    }

    /** Takes the latch exclusive, waiting while any other thread holds it. */
    void latchExclusive()
    {
        if (LATCH.compareAndSet(this, 0, WRITER))
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
        final int state = (int)LATCH.getAndAdd(this, -WRITER) - WRITER;
        if ((state & WAITING) != 0)
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
            final int state = latch;
            final boolean free;
            if (exclusive)
            {
                free = (state & (WRITER | READERS)) == 0;
            }
            else
            {
                free = (state & WRITER) == 0 || owner == self;
            }
            if (free)
            {
                if (LATCH.compareAndSet(this, state, exclusive ? state | WRITER : state + 1))
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
                // the state must still be the blocked one seen above when WAITING goes in, so that its release
                // (which wakes the waiters under this monitor) cannot have happened unseen
                if (latch == state && ((state & WAITING) != 0 || LATCH.compareAndSet(this, state, state | WAITING)))
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
                final int state = latch;
                if ((state & WAITING) == 0 || LATCH.compareAndSet(this, state, state & ~WAITING))
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
