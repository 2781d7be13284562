package dev.tidemark.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page latch kept in a {@link Frame}: shared / exclusive exclusion, reentrancy, waiting and waking. */
@Timeout(60)
class FrameLatchTest
{
    private static Frame frame()
    {
        return new Frame(null, 0, ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void shouldLetTheExclusiveHolderLatchAgainSharedAndExclusive()
    {
        final Frame frame = frame();
        frame.latchExclusive();
        frame.latchExclusive();
        assertThat(frame.tryLatchShared()).isTrue();
        frame.latchShared();
        frame.unlatchShared();
        frame.unlatchShared();
        frame.unlatchExclusive();
        frame.unlatchExclusive();
        assertThat(frame.state).isZero();
    }

    @Test
    void shouldRefuseATryOfAnotherThreadWhileHeldExclusive() throws Exception
    {
        final Frame frame = frame();
        frame.latchExclusive();
        final AtomicBoolean got = new AtomicBoolean(true);
        final Thread other = new Thread(() -> got.set(frame.tryLatchShared()));
        other.start();
        other.join();
        assertThat(got).isFalse();
        frame.unlatchExclusive();
        assertThat(frame.tryLatchShared()).isTrue();
        frame.unlatchShared();
    }

    @Test
    void shouldMakeAWriterWaitForEveryReaderAndReadersForTheWriter() throws Exception
    {
        final Frame frame = frame();
        frame.latchShared();
        final CountDownLatch writerIn = new CountDownLatch(1);
        final CountDownLatch writerRelease = new CountDownLatch(1);
        final Thread writer = new Thread(() ->
        {
            frame.latchExclusive();
            writerIn.countDown();
            await(writerRelease);
            frame.unlatchExclusive();
        });
        writer.start();
        assertThat(writerIn.await(200, TimeUnit.MILLISECONDS)).isFalse();
        frame.unlatchShared();
        assertThat(writerIn.await(10, TimeUnit.SECONDS)).isTrue();

        final CountDownLatch readerIn = new CountDownLatch(1);
        final Thread reader = new Thread(() ->
        {
            frame.latchShared();
            readerIn.countDown();
            frame.unlatchShared();
        });
        reader.start();
        assertThat(readerIn.await(200, TimeUnit.MILLISECONDS)).isFalse();
        writerRelease.countDown();
        assertThat(readerIn.await(10, TimeUnit.SECONDS)).isTrue();
        writer.join();
        reader.join();
        assertThat(frame.state).isZero();
    }

    @Test
    void shouldKeepWaitingThroughAnInterruptAndKeepTheInterruptStatus() throws Exception
    {
        final Frame frame = frame();
        frame.latchExclusive();
        final AtomicBoolean interruptedAfter = new AtomicBoolean();
        final CountDownLatch in = new CountDownLatch(1);
        final Thread waiter = new Thread(() ->
        {
            frame.latchShared();
            interruptedAfter.set(Thread.currentThread().isInterrupted());
            in.countDown();
            frame.unlatchShared();
        });
        waiter.start();
        Thread.sleep(100);
        waiter.interrupt();
        assertThat(in.await(200, TimeUnit.MILLISECONDS)).isFalse();
        frame.unlatchExclusive();
        assertThat(in.await(10, TimeUnit.SECONDS)).isTrue();
        waiter.join();
        assertThat(interruptedAfter).isTrue();
    }

    /** Writers increment two words under the exclusive latch; readers must never see them differ. */
    @Test
    void shouldExcludeReadersFromAHalfDoneChangeUnderContention() throws Exception
    {
        final Frame frame = frame();
        final int threads = 4;
        final int rounds = 20_000;
        final AtomicInteger torn = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final boolean writes = t % 2 == 0;
            final Thread worker = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < rounds; i++)
                    {
                        if (writes)
                        {
                            frame.latchExclusive();
                            frame.putLong(0, frame.getLong(0) + 1);
                            Thread.onSpinWait();
                            frame.putLong(8, frame.getLong(8) + 1);
                            frame.unlatchExclusive();
                        }
                        else
                        {
                            frame.latchShared();
                            if (frame.getLong(0) != frame.getLong(8))
                            {
                                torn.incrementAndGet();
                            }
                            frame.unlatchShared();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(torn).hasValue(0);
        assertThat(frame.getLong(0)).isEqualTo((long)rounds * threads / 2);
        assertThat(frame.state).isZero();
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
