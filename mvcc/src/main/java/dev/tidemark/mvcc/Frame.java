package dev.tidemark.mvcc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One page-sized slot of the buffer pool's off-heap memory, with the page latch and the pool's bookkeeping.
 *
 * <p>Threading: the page bytes are guarded by the latch ({@link #readLatch} / {@link #writeLatch}, one
 * {@link ReentrantReadWriteLock}). {@code pins} changes atomically: under the pool lock, or without it when a
 * reader pins a resident page ({@link BufferPool#pin}); a frame being taken over for another page is claimed by
 * setting {@code pins} from 0 to {@link #CLAIMED}, which no lock-free pin passes. {@code pageId} and
 * {@code loading} are written under the pool lock before a claimed frame's pins become 1, and read by lock-free
 * pins after their pin, hence volatile. The replacement-list links, {@code recLsn}, {@code redirtied} and
 * {@code redirtyLsn} are guarded by the pool lock. {@code dirty} and {@code writeInFlight} are written under the
 * pool lock and read without it by the exclusive latch holder, hence volatile (see {@link BufferPool#markDirty}
 * for the order that makes this safe). {@code referenced} is set by lock-free pins and applied by the replacement
 * policy under the pool lock.
 */
final class Frame
{
    static final int NO_LIST = 0;
    static final int FREE_LIST = 1;
    static final int PROBATION = 2;
    static final int PROTECTED = 3;
    /** The value of {@code pins} while the pool lock holder takes the frame over for another page. */
    static final int CLAIMED = -1;

    private static final VarHandle PINS;

    static
    {
        try
        {
            PINS = MethodHandles.lookup().findVarHandle(Frame.class, "pins", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final int index;
    final ByteBuffer page;
    final UnsafeBuffer body;
    final UnsafeBuffer whole;
    private final ReentrantReadWriteLock latch = new ReentrantReadWriteLock();
    final Lock readLatch = latch.readLock();
    final Lock writeLatch = latch.writeLock();
    final CRC32C loadCrc = new CRC32C();
    final PageHandle shared;
    final PageHandle exclusive;

    volatile long pageId = -1;
    volatile int pins;
    volatile boolean loading;
    volatile boolean referenced;
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
        this.index = index;
        this.page = page;
        this.body = new UnsafeBuffer(page, PageLayout.HEADER_LENGTH, page.capacity() - PageLayout.HEADER_LENGTH);
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

    long pageLsn()
    {
        return page.getLong(PageLayout.LSN_OFFSET);
    }

    PageHandle handle(final LatchMode mode)
    {
        return mode == LatchMode.SHARED ? shared : exclusive;
    }
}
