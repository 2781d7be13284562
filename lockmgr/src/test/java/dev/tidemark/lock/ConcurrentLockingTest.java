package dev.tidemark.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real threads run transactions that lock a small set of rows (and their keyspace) in random order and modes, so
 * they collide and deadlock. Every run must finish (deadlocks are resolved, no wait times out), the table must be
 * empty at the end, and an occupancy counter per resource, independent of the lock manager, must never see two
 * incompatible grants at the same time.
 */
class ConcurrentLockingTest
{
    private static final int THREADS = 4;
    private static final int TRANSACTIONS_PER_THREAD = 300;
    private static final int ROWS = 6;
    private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<LockResource> resources = new ArrayList<>();
    private final Map<LockResource, Occupancy> occupancy = new HashMap<>();
    private final AtomicInteger violations = new AtomicInteger();
    private final AtomicInteger deadlocks = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();
    private final AtomicLong txnIds = new AtomicLong();

    @ParameterizedTest
    @EnumSource(value = DeadlockDetection.class, names = {"PERIODIC", "ON_WAIT"})
    void shouldFinishWithAnEmptyTableAndNeverOverlapIncompatibleGrants(final DeadlockDetection detection)
        throws Exception
    {
        resources.add(LockResource.keyspace(1));
        for (int row = 0; row < ROWS; row++)
        {
            resources.add(LockResource.row(1, new byte[] {(byte)row}));
        }
        resources.forEach(resource -> occupancy.put(resource, new Occupancy()));
        final LockManager manager = LockManager.open(LockManagerOptions.builder()
            .stripes(4)
            .deadlockDetection(detection)
            .deadlockInterval(2, TimeUnit.MILLISECONDS)
            .build());
        final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<?>> workers = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++)
            {
                final long seed = 1000L * (thread + 1) + detection.ordinal();
                workers.add(executor.submit(() -> runTransactions(manager, new SplittableRandom(seed))));
            }
            for (final Future<?> worker : workers)
            {
                worker.get(60, TimeUnit.SECONDS);
            }

            System.out.printf("%s: %d deadlock victims among %d transactions%n", detection, deadlocks.get(),
                THREADS * TRANSACTIONS_PER_THREAD);
            assertThat(unexpected.get()).as("waits that timed out or were cancelled").isZero();
            assertThat(violations.get()).as("incompatible grants seen at the same time").isZero();
            assertThat(manager.waits()).isEmpty();
            assertThat(manager.resourceCount()).isZero();
        }
        finally
        {
            executor.shutdownNow();
            manager.close();
        }
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void runTransactions(final LockManager manager, final SplittableRandom random)
    {
        final LockTarget target = new LockTarget();
        for (int i = 0; i < TRANSACTIONS_PER_THREAD; i++)
        {
            final LockOwner owner = manager.newOwner(txnIds.incrementAndGet());
            final Map<LockResource, LockMode> held = new HashMap<>();
            final int steps = 1 + random.nextInt(4);
            for (int step = 0; step < steps; step++)
            {
                final LockResource resource = resources.get(random.nextInt(resources.size()));
                final LockMode mode = resource.kind() == ResourceKind.KEYSPACE ?
                    pick(random, LockMode.IS, LockMode.IS, LockMode.IX, LockMode.IX, LockMode.S, LockMode.X) :
                    pick(random, LockMode.S, LockMode.X);
                final LockResult result = manager.acquire(owner, target.set(resource), mode, HANG_GUARD_NANOS);
                if (result == LockResult.GRANTED)
                {
                    final LockMode before = held.get(resource);
                    final LockMode now = before == null ? mode : before.join(mode);
                    if (now != before)
                    {
                        occupancy.get(resource).enter(before, now);
                        held.put(resource, now);
                    }
                }
                else
                {
                    if (result == LockResult.DEADLOCK)
                    {
                        deadlocks.incrementAndGet();
                    }
                    else
                    {
                        unexpected.incrementAndGet();
                    }
                    break;
                }
                if (random.nextInt(4) == 0)
                {
                    Thread.yield();
                }
            }
            held.forEach((resource, mode) -> occupancy.get(resource).leave(mode));
            manager.releaseAll(owner);
        }
    }

    @SafeVarargs
    private static <T> T pick(final SplittableRandom random, final T... choices)
    {
        return choices[random.nextInt(choices.length)];
    }

    /** Counts the modes currently granted on one resource, as the lock holders themselves report them. */
    private final class Occupancy
    {
        private final AtomicIntegerArray granted = new AtomicIntegerArray(LockMode.values().length);

        /** After the grant: replaces the holder's previous mode (if any) by its new one, then checks. */
        void enter(final LockMode before, final LockMode now)
        {
            if (before != null)
            {
                granted.decrementAndGet(before.ordinal());
            }
            granted.incrementAndGet(now.ordinal());
            for (final LockMode other : LockMode.values())
            {
                final int others = granted.get(other.ordinal()) - (other == now ? 1 : 0);
                if (others > 0 && !Compatibility.compatible(now, other))
                {
                    violations.incrementAndGet();
                }
            }
        }

        /** Before the release. */
        void leave(final LockMode mode)
        {
            granted.decrementAndGet(mode.ordinal());
        }
    }
}
