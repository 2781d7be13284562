package dev.tidemark.mvcc;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One page-sized slot of the buffer pool's off-heap memory, with the page latch and the pool's bookkeeping.
 *
 * <p>Threading: the page bytes are guarded by {@link #latch}. {@code pageId}, {@code pins}, {@code loading},
 * the replacement-list links, {@code recLsn}, {@code redirtied} and {@code redirtyLsn} are guarded by the pool
 * lock. {@code dirty} and {@code writeInFlight} are written under the pool lock and read without it by the
 * exclusive latch holder, hence volatile (see {@link BufferPool#markDirty} for the order that makes this safe).
 */
final class Frame
{
    static final int NO_LIST = 0;
    static final int FREE_LIST = 1;
    static final int PROBATION = 2;
    static final int PROTECTED = 3;

    final int index;
    final ByteBuffer page;
    final UnsafeBuffer body;
    final UnsafeBuffer whole;
    final ReentrantReadWriteLock latch = new ReentrantReadWriteLock();
    final CRC32C loadCrc = new CRC32C();
    final PageHandle shared;
    final PageHandle exclusive;

    long pageId = -1;
    int pins;
    boolean loading;
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

    long pageLsn()
    {
        return page.getLong(PageLayout.LSN_OFFSET);
    }

    PageHandle handle(final LatchMode mode)
    {
        return mode == LatchMode.SHARED ? shared : exclusive;
    }
}
