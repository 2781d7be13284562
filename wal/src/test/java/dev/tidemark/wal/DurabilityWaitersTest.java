package dev.tidemark.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The wake-up tree of {@link DurabilityWaiters}: the publisher wakes a few reached waiters, each woken waiter wakes
 * a few more starting after its own slot, and together they wake every reached waiter and no other.
 *
 * <p>The tree is played out on one thread: waiters are placed in slots directly, and the wakes a woken waiter makes
 * on its way out of {@code await} are made in the order the waiters were woken. Whether a waiter was woken is read
 * from its flag, so no thread parks and nothing depends on timing.
 */
class DurabilityWaitersTest
{
    @Property(tries = 300)
    void theTreeOfWakesReachesEveryReachedWaiterAndNoOther(
        @ForAll @Size(min = 1, max = 200) final List<@LongRange(min = 1, max = 20) Long> targets,
        @ForAll @Size(max = 200) final List<@IntRange(min = 0, max = 199) Integer> leftEarly,
        @ForAll @LongRange(min = 0, max = 21) final long published)
    {
        final DurabilityWaiters waiters = new DurabilityWaiters();
        final List<DurabilityWaiters.Waiter> placed = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        for (final long target : targets)
        {
            final DurabilityWaiters.Waiter waiter = new DurabilityWaiters.Waiter();
            waiter.target = target;
            placed.add(waiter);
            slots.add(waiters.claim(waiter));
        }
        // waiters that returned before the publish leave holes in the slots
        for (final int index : leftEarly)
        {
            if (index < placed.size() && placed.get(index) != null)
            {
                waiters.leave(slots.get(index));
                placed.set(index, null);
            }
        }

        playOut(waiters, placed, slots, published);

        for (final DurabilityWaiters.Waiter waiter : placed)
        {
            if (waiter != null)
            {
                assertThat(waiter.woken)
                    .as("waiter for %d after publishing %d", waiter.target, published)
                    .isEqualTo(waiter.target <= published ? 1 : 0);
            }
        }
    }

    @Test
    void aWokenWaiterStartsAfterItsOwnSlotAndWrapsAround()
    {
        final DurabilityWaiters waiters = new DurabilityWaiters();
        final List<DurabilityWaiters.Waiter> placed = placeWaitersFor(1, 6, 0, waiters);

        waiters.wake(1, 4);

        assertThat(placed).extracting(w -> w.woken).containsExactly(0, 0, 0, 0, 1, 1);
        waiters.wake(1, 5);
        assertThat(placed).extracting(w -> w.woken).containsExactly(1, 1, 0, 0, 1, 1);
    }

    @Test
    void aWaiterAlreadyWokenIsNotCountedAgainstTheFanOut()
    {
        final DurabilityWaiters waiters = new DurabilityWaiters();
        final List<DurabilityWaiters.Waiter> placed = placeWaitersFor(1, 4, 2, waiters);

        waiters.wake(1);

        assertThat(placed).extracting(w -> w.woken).containsExactly(1, 1, 1, 1);
    }

    @Test
    void manyThreadsWaitingForDifferentTargetsAllReturnOnceReached() throws Exception
    {
        final DurabilityWaiters waiters = new DurabilityWaiters();
        final AtomicLong watched = new AtomicLong();
        final int threads = 48;
        final CountDownLatch done = new CountDownLatch(threads);
        final List<Thread> started = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final long target = 1 + t % 8;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    for (int round = 0; round < 200; round++)
                    {
                        final long goal = target + 8L * round;
                        if (!waiters.await(watched::get, goal, () -> false, TimeUnit.SECONDS.toNanos(60)))
                        {
                            throw new AssertionError("gave up waiting for " + goal + " at " + watched.get());
                        }
                        assertThat(watched.get()).isGreaterThanOrEqualTo(goal);
                    }
                }
                catch (final Throwable ex)
                {
                    synchronized (failures)
                    {
                        failures.add(ex);
                    }
                }
                finally
                {
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        while (done.getCount() > 0)
        {
            watched.incrementAndGet();
            waiters.wake(watched.get());
            Thread.onSpinWait();
            done.await(50, TimeUnit.MICROSECONDS);
        }
        for (final Thread thread : started)
        {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    /** Places {@code count} waiters for {@code target} in slots 0, 1, ...; the first {@code woken} already woken. */
    private static List<DurabilityWaiters.Waiter> placeWaitersFor(final long target, final int count,
        final int woken, final DurabilityWaiters waiters)
    {
        final List<DurabilityWaiters.Waiter> placed = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final DurabilityWaiters.Waiter waiter = new DurabilityWaiters.Waiter();
            waiter.target = target;
            waiter.woken = i < woken ? 1 : 0;
            placed.add(waiter);
            assertThat(waiters.claim(waiter)).isEqualTo(i);
        }
        return placed;
    }

    /** Wakes as the publisher does, then makes each woken waiter's wake in turn, as it leaves {@code await}. */
    private static void playOut(final DurabilityWaiters waiters, final List<DurabilityWaiters.Waiter> placed,
        final List<Integer> slots, final long published)
    {
        final Deque<Integer> woken = new ArrayDeque<>();
        final boolean[] seen = new boolean[placed.size()];
        waiters.wake(published);
        collectNewlyWoken(placed, seen, woken);
        while (!woken.isEmpty())
        {
            final int index = woken.poll();
            final int slot = slots.get(index);
            waiters.leave(slot);
            waiters.wake(published, slot + 1);
            collectNewlyWoken(placed, seen, woken);
        }
    }

    private static void collectNewlyWoken(final List<DurabilityWaiters.Waiter> placed, final boolean[] seen,
        final Deque<Integer> woken)
    {
        for (int i = 0; i < placed.size(); i++)
        {
            final DurabilityWaiters.Waiter waiter = placed.get(i);
            if (waiter != null && !seen[i] && waiter.woken == 1)
            {
                seen[i] = true;
                woken.add(i);
            }
        }
    }
}
