package dev.tidemark.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** An uncontended acquire plus release allocates nothing once the stripe pools are warm. */
class HotPathAllocationTest
{
    private static final int PAIRS = 20_000;

    @Test
    void uncontendedAcquireAndReleaseShouldAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final LockManager manager = LockManager.open(LockManagerOptions.builder()
            .deadlockDetection(DeadlockDetection.MANUAL)
            .build());
        final LockOwner owner = manager.newOwner(1);
        final LockTarget target = new LockTarget();
        final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        final long threadId = Thread.currentThread().getId();
        lockAndUnlock(manager, owner, target, key);
        lockAndUnlock(manager, owner, target, key);

        final long before = threads.getThreadAllocatedBytes(threadId);
        final long failures = lockAndUnlock(manager, owner, target, key);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(failures).isZero();
        assertThat(allocated).as("bytes allocated by %d acquire + release pairs", PAIRS).isZero();
        manager.close();
    }

    private static long lockAndUnlock(
        final LockManager manager, final LockOwner owner, final LockTarget target, final UnsafeBuffer key)
    {
        long failures = 0;
        for (int i = 0; i < PAIRS; i++)
        {
            key.putLong(0, i & 1023);
            target.row(1, key, 0, 16);
            if (manager.acquire(owner, target, LockMode.X, 0) != LockResult.GRANTED ||
                !manager.release(owner, target))
            {
                failures++;
            }
        }
        return failures;
    }
}
