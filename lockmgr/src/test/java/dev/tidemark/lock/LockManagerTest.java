package dev.tidemark.lock;

import static dev.tidemark.lock.LockResult.DEADLOCK;
import static dev.tidemark.lock.LockResult.GRANTED;
import static dev.tidemark.lock.LockResult.TIMEOUT;
import static dev.tidemark.lock.LockResult.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queueing, upgrade and deadlock rules, driven single-threaded through the non-blocking API. */
class LockManagerTest
{
    private static final byte[] A = "a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "b".getBytes(StandardCharsets.UTF_8);
    private static final byte[] C = "c".getBytes(StandardCharsets.UTF_8);

    private final LockManager manager = LockManager.open(LockManagerOptions.builder()
        .stripes(4)
        .deadlockDetection(DeadlockDetection.MANUAL)
        .build());
    private final LockTarget target = new LockTarget();

    @AfterEach
    void closeManager()
    {
        manager.close();
    }

    @Test
    void shouldGrantSharedTogetherAndQueueExclusive()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        final LockOwner t3 = manager.newOwner(3);

        assertThat(manager.request(t1, target.row(1, A), LockMode.S)).isEqualTo(GRANTED);
        assertThat(manager.request(t2, target.row(1, A), LockMode.S)).isEqualTo(GRANTED);
        assertThat(manager.request(t3, target.row(1, A), LockMode.X)).isEqualTo(WAITING);

        manager.release(t1, target.row(1, A));
        assertThat(manager.poll(t3)).isEqualTo(WAITING);
        manager.release(t2, target.row(1, A));
        assertThat(manager.poll(t3)).isEqualTo(GRANTED);
        assertThat(manager.heldMode(t3, target.row(1, A))).isEqualTo(LockMode.X);
    }

    @Test
    void shouldGrantAReRequestOfAHeldOrWeakerModeAtOnceEvenWithWaiters()
    {
        final LockOwner holder = manager.newOwner(1);
        final LockOwner waiter = manager.newOwner(2);
        manager.request(holder, target.keyspace(7), LockMode.SIX);
        assertThat(manager.request(waiter, target.keyspace(7), LockMode.IX)).isEqualTo(WAITING);

        assertThat(manager.request(holder, target.keyspace(7), LockMode.IX)).isEqualTo(GRANTED);
        assertThat(manager.request(holder, target.keyspace(7), LockMode.S)).isEqualTo(GRANTED);
        assertThat(manager.request(holder, target.keyspace(7), LockMode.SIX)).isEqualTo(GRANTED);
        assertThat(manager.heldMode(holder, target.keyspace(7))).isEqualTo(LockMode.SIX);
        assertThat(holder.lockCount()).isEqualTo(1);
    }

    @Test
    void shouldNotLetAStreamOfSharedRequestsStarveAWaitingExclusive()
    {
        final LockOwner reader = manager.newOwner(1);
        final LockOwner writer = manager.newOwner(2);
        final LockOwner lateReader = manager.newOwner(3);
        manager.request(reader, target.row(1, A), LockMode.S);
        assertThat(manager.request(writer, target.row(1, A), LockMode.X)).isEqualTo(WAITING);

        assertThat(manager.request(lateReader, target.row(1, A), LockMode.S)).isEqualTo(WAITING);

        manager.releaseAll(reader);
        assertThat(manager.poll(writer)).isEqualTo(GRANTED);
        assertThat(manager.poll(lateReader)).isEqualTo(WAITING);
    }

    @Test
    void shouldGrantCompatibleRequestsAtTheHeadTogetherAndStopAtTheFirstIncompatible()
    {
        final LockOwner holder = manager.newOwner(1);
        final LockOwner[] waiters = {manager.newOwner(2), manager.newOwner(3), manager.newOwner(4),
            manager.newOwner(5)};
        final LockMode[] modes = {LockMode.S, LockMode.S, LockMode.X, LockMode.S};
        manager.request(holder, target.row(1, A), LockMode.X);
        for (int i = 0; i < waiters.length; i++)
        {
            assertThat(manager.request(waiters[i], target.row(1, A), modes[i])).isEqualTo(WAITING);
        }

        manager.releaseAll(holder);

        assertThat(manager.poll(waiters[0])).isEqualTo(GRANTED);
        assertThat(manager.poll(waiters[1])).isEqualTo(GRANTED);
        assertThat(manager.poll(waiters[2])).isEqualTo(WAITING);
        assertThat(manager.poll(waiters[3])).isEqualTo(WAITING);
    }

    @Test
    void shouldPutAnUpgradeAheadOfQueuedRequests()
    {
        final LockOwner upgrader = manager.newOwner(1);
        final LockOwner otherReader = manager.newOwner(2);
        final LockOwner writer = manager.newOwner(3);
        manager.request(upgrader, target.row(1, A), LockMode.S);
        manager.request(otherReader, target.row(1, A), LockMode.S);
        assertThat(manager.request(writer, target.row(1, A), LockMode.X)).isEqualTo(WAITING);

        assertThat(manager.request(upgrader, target.row(1, A), LockMode.X)).isEqualTo(WAITING);
        final LockWait upgrade = manager.waits().get(0);
        assertThat(upgrade.isUpgrade()).isTrue();
        assertThat(upgrade.held()).isEqualTo(LockMode.S);
        assertThat(upgrade.waitsFor()).containsExactly(2);
        assertThat(manager.waits().get(1).waitsFor()).containsExactly(1, 2);

        manager.releaseAll(otherReader);

        assertThat(manager.poll(upgrader)).isEqualTo(GRANTED);
        assertThat(manager.heldMode(upgrader, target.row(1, A))).isEqualTo(LockMode.X);
        assertThat(manager.poll(writer)).isEqualTo(WAITING);
    }

    @Test
    void shouldJoinKeyspaceModesOnUpgrade()
    {
        final LockOwner owner = manager.newOwner(1);
        final LockOwner reader = manager.newOwner(2);
        manager.request(owner, target.keyspace(1), LockMode.IX);
        manager.request(reader, target.keyspace(1), LockMode.IS);

        assertThat(manager.request(owner, target.keyspace(1), LockMode.S)).isEqualTo(GRANTED);

        assertThat(manager.heldMode(owner, target.keyspace(1))).isEqualTo(LockMode.SIX);
    }

    @Test
    void shouldApplyTheMultiGranularityMatrixToKeyspaces()
    {
        for (final LockMode held : LockMode.values())
        {
            for (final LockMode asked : LockMode.values())
            {
                final LockOwner holder = manager.newOwner(1);
                final LockOwner asker = manager.newOwner(2);
                manager.request(holder, target.keyspace(3), held);
                final LockResult result = manager.acquire(asker, target.keyspace(3), asked, 0);
                assertThat(result).as("%s then %s", held, asked)
                    .isEqualTo(Compatibility.compatible(held, asked) ? GRANTED : TIMEOUT);
                manager.releaseAll(holder);
                manager.releaseAll(asker);
            }
        }
        assertThat(manager.resourceCount()).isZero();
    }

    @Test
    void shouldReleaseAllLocksAndWakeExactlyTheWaitersThatCanProceed()
    {
        final LockOwner holder = manager.newOwner(1);
        final LockOwner readerOfA = manager.newOwner(2);
        final LockOwner writerOfA = manager.newOwner(3);
        final LockOwner writerOfB = manager.newOwner(4);
        final LockOwner readerOfB = manager.newOwner(5);
        final LockOwner writerOfC = manager.newOwner(6);
        manager.request(holder, target.row(1, A), LockMode.X);
        manager.request(holder, target.row(1, B), LockMode.S);
        manager.request(readerOfB, target.row(1, B), LockMode.S);
        manager.request(writerOfC, target.row(1, C), LockMode.X);
        manager.request(readerOfA, target.row(1, A), LockMode.S);
        manager.request(writerOfA, target.row(1, A), LockMode.X);
        manager.request(writerOfB, target.row(1, B), LockMode.X);

        manager.releaseAll(holder);

        assertThat(holder.lockCount()).isZero();
        assertThat(manager.poll(readerOfA)).isEqualTo(GRANTED);
        assertThat(manager.poll(writerOfA)).isEqualTo(WAITING);
        assertThat(manager.poll(writerOfB)).isEqualTo(WAITING);
        assertThat(manager.waits()).extracting(LockWait::txnId).containsExactly(3L, 4L);
    }

    @Test
    void shouldNeverConfuseDifferentKeysWithEqualHashes()
    {
        final byte[][] colliding = findHashCollision();
        final LockManager oneStripe = LockManager.open(LockManagerOptions.builder()
            .stripes(1)
            .deadlockDetection(DeadlockDetection.MANUAL)
            .build());
        final LockOwner t1 = oneStripe.newOwner(1);
        final LockOwner t2 = oneStripe.newOwner(2);

        assertThat(oneStripe.request(t1, target.row(1, colliding[0]), LockMode.X)).isEqualTo(GRANTED);
        assertThat(oneStripe.request(t2, target.row(1, colliding[1]), LockMode.X)).isEqualTo(GRANTED);
        assertThat(oneStripe.resourceCount()).isEqualTo(2);
        assertThat(oneStripe.release(t1, target.row(1, colliding[1]))).isFalse();
        assertThat(oneStripe.release(t1, target.row(1, colliding[0]))).isTrue();
        assertThat(oneStripe.heldMode(t2, target.row(1, colliding[1]))).isEqualTo(LockMode.X);
        oneStripe.close();
    }

    @Test
    void shouldKeepKindsKeyspacesAndKeysApart()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        manager.request(t1, target.row(1, A), LockMode.X);

        assertThat(manager.acquire(t2, target.row(2, A), LockMode.X, 0)).isEqualTo(GRANTED);
        assertThat(manager.acquire(t2, target.range(1, A), LockMode.X, 0)).isEqualTo(GRANTED);
        assertThat(manager.acquire(t2, target.rangeToEnd(1), LockMode.X, 0)).isEqualTo(GRANTED);
        assertThat(manager.acquire(t2, target.keyspace(1), LockMode.X, 0)).isEqualTo(GRANTED);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[] {9, 'a', 9});
        assertThat(manager.acquire(t2, target.row(1, buffer, 1, 1), LockMode.S, 0)).isEqualTo(TIMEOUT);
        assertThat(t2.lockCount()).isEqualTo(4);
    }

    @Test
    void shouldNotQueueAZeroTimeoutRequest()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        manager.request(t1, target.row(1, A), LockMode.S);

        assertThat(manager.acquire(t2, target.row(1, A), LockMode.X, 0)).isEqualTo(TIMEOUT);
        assertThat(manager.acquire(t1, target.row(1, A), LockMode.X, 0)).isEqualTo(GRANTED);

        assertThat(manager.waits()).isEmpty();
        assertThat(manager.resourceCount()).isEqualTo(1);
    }

    @Test
    void shouldPickTheYoungestTransactionOfACycleAsTheOnlyVictim()
    {
        final LockOwner t1 = manager.newOwner(10);
        final LockOwner t2 = manager.newOwner(30);
        final LockOwner t3 = manager.newOwner(20);
        manager.request(t1, target.row(1, A), LockMode.X);
        manager.request(t2, target.row(1, B), LockMode.X);
        manager.request(t3, target.row(1, C), LockMode.X);
        manager.request(t1, target.row(1, B), LockMode.X);
        manager.request(t2, target.row(1, C), LockMode.X);
        assertThat(manager.detectDeadlocks()).as("a chain is no cycle").isZero();

        manager.request(t3, target.row(1, A), LockMode.X);
        assertThat(manager.detectDeadlocks()).isEqualTo(1);

        assertThat(manager.poll(t2)).isEqualTo(DEADLOCK);
        assertThat(manager.poll(t1)).isEqualTo(WAITING);
        assertThat(manager.poll(t3)).isEqualTo(WAITING);
        manager.releaseAll(t2);
        assertThat(manager.poll(t1)).isEqualTo(GRANTED);
        assertThat(manager.poll(t3)).isEqualTo(WAITING);
    }

    @Test
    void shouldDetectAnUpgradeDeadlock()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        manager.request(t1, target.row(1, A), LockMode.S);
        manager.request(t2, target.row(1, A), LockMode.S);
        assertThat(manager.request(t1, target.row(1, A), LockMode.X)).isEqualTo(WAITING);
        assertThat(manager.request(t2, target.row(1, A), LockMode.X)).isEqualTo(WAITING);

        assertThat(manager.detectDeadlocks()).isEqualTo(1);

        assertThat(manager.poll(t2)).isEqualTo(DEADLOCK);
        assertThat(manager.heldMode(t2, target.row(1, A))).as("a victim keeps its locks").isEqualTo(LockMode.S);
        manager.releaseAll(t2);
        assertThat(manager.poll(t1)).isEqualTo(GRANTED);
        assertThat(manager.heldMode(t1, target.row(1, A))).isEqualTo(LockMode.X);
    }

    @Test
    void shouldFindADeadlockThroughAWaiterBlockedOnlyByQueueOrder()
    {
        // t3 asks IS, compatible with the holder's IX, but queues behind t2's S: it still waits for t2
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        final LockOwner t3 = manager.newOwner(3);
        manager.request(t3, target.row(1, A), LockMode.X);
        manager.request(t1, target.keyspace(1), LockMode.IX);
        assertThat(manager.request(t2, target.keyspace(1), LockMode.S)).isEqualTo(WAITING);
        assertThat(manager.request(t3, target.keyspace(1), LockMode.IS)).isEqualTo(WAITING);
        assertThat(manager.request(t1, target.row(1, A), LockMode.X)).isEqualTo(WAITING);

        assertThat(manager.detectDeadlocks()).isEqualTo(1);

        assertThat(manager.poll(t3)).isEqualTo(DEADLOCK);
    }

    @Test
    void shouldBreakEachOfTwoSeparateCyclesWithOneVictim()
    {
        final Map<Long, LockOwner> owners = new HashMap<>();
        for (long id = 1; id <= 4; id++)
        {
            owners.put(id, manager.newOwner(id));
        }
        manager.request(owners.get(1L), target.row(1, A), LockMode.X);
        manager.request(owners.get(2L), target.row(1, B), LockMode.X);
        manager.request(owners.get(3L), target.row(2, A), LockMode.X);
        manager.request(owners.get(4L), target.row(2, B), LockMode.X);
        manager.request(owners.get(1L), target.row(1, B), LockMode.X);
        manager.request(owners.get(2L), target.row(1, A), LockMode.X);
        manager.request(owners.get(3L), target.row(2, B), LockMode.X);
        manager.request(owners.get(4L), target.row(2, A), LockMode.X);

        assertThat(manager.detectDeadlocks()).isEqualTo(2);

        assertThat(manager.poll(owners.get(2L))).isEqualTo(DEADLOCK);
        assertThat(manager.poll(owners.get(4L))).isEqualTo(DEADLOCK);
        assertThat(manager.waits()).extracting(LockWait::txnId).containsExactly(1L, 3L);
    }

    @Test
    void shouldDescribeEveryWaitInTheView()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        final LockOwner t3 = manager.newOwner(3);
        manager.request(t1, target.row(4, A), LockMode.S);
        manager.request(t2, target.row(4, A), LockMode.X);
        manager.request(t3, target.row(4, A), LockMode.S);

        final List<LockWait> waits = manager.waits();

        assertThat(waits).hasSize(2);
        assertThat(waits.get(0).txnId()).isEqualTo(2);
        assertThat(waits.get(0).resource()).isEqualTo(LockResource.row(4, A));
        assertThat(waits.get(0).requested()).isEqualTo(LockMode.X);
        assertThat(waits.get(0).isUpgrade()).isFalse();
        assertThat(waits.get(0).waitsFor()).containsExactly(1);
        assertThat(waits.get(1).waitsFor()).as("queued behind t2, compatible with t1").containsExactly(2);
        assertThat(waits.get(1).toString()).contains("txn 3 waits for S on ROW(4:61)");
    }

    @Test
    void shouldFailLaterWaitsOfACancelledOwnerAtOnce()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        manager.request(t1, target.row(1, A), LockMode.X);
        manager.request(t2, target.row(1, B), LockMode.X);
        assertThat(manager.request(t2, target.row(1, A), LockMode.X)).isEqualTo(WAITING);

        assertThat(manager.cancel(t2)).isTrue();

        assertThat(manager.poll(t2)).isEqualTo(LockResult.CANCELLED);
        assertThat(manager.request(t2, target.row(1, A), LockMode.S)).isEqualTo(LockResult.CANCELLED);
        assertThat(manager.request(t2, target.row(1, C), LockMode.S)).as("no wait needed").isEqualTo(GRANTED);
        assertThat(manager.waits()).isEmpty();
    }

    @Test
    void shouldRejectMisuse()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        assertThatThrownBy(() -> manager.request(t1, target.row(1, A), LockMode.IX))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyspace mode");
        assertThatThrownBy(() -> manager.request(t1, new LockTarget(), LockMode.S))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no resource");
        assertThatThrownBy(() -> manager.poll(t1)).isInstanceOf(IllegalStateException.class);
        manager.request(t1, target.row(1, A), LockMode.X);
        manager.request(t2, target.row(1, A), LockMode.X);
        assertThatThrownBy(() -> manager.request(t2, target.row(1, B), LockMode.X))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("pending");
        assertThatThrownBy(() -> manager.acquire(t2, target.row(1, B), LockMode.X, -1))
            .isInstanceOf(IllegalArgumentException.class);
        final LockManager other = LockManager.open(LockManagerOptions.builder()
            .deadlockDetection(DeadlockDetection.MANUAL)
            .build());
        assertThatThrownBy(() -> other.release(t1, target.row(1, A))).isInstanceOf(IllegalArgumentException.class);
        other.close();
    }

    @Test
    void shouldEndWaitsAndRefuseRequestsAfterClose()
    {
        final LockOwner t1 = manager.newOwner(1);
        final LockOwner t2 = manager.newOwner(2);
        manager.request(t1, target.row(1, A), LockMode.X);
        manager.request(t2, target.row(1, A), LockMode.X);

        manager.close();

        assertThat(manager.poll(t2)).isEqualTo(LockResult.CANCELLED);
        assertThatThrownBy(() -> manager.request(t2, target.row(1, B), LockMode.X))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        manager.releaseAll(t1);
        assertThat(manager.resourceCount()).isZero();
    }

    /** Birthday search, seeded: two different 8-byte keys whose resource hashes are equal. */
    private static byte[][] findHashCollision()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final Map<Integer, byte[]> seen = new HashMap<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        while (true)
        {
            final byte[] key = new byte[8];
            buffer.wrap(key);
            buffer.putLong(0, random.nextLong());
            final int hash = LockTarget.hash(ResourceKind.ROW, 1, buffer, 0, key.length);
            final byte[] previous = seen.putIfAbsent(hash, key);
            if (previous != null && !Arrays.equals(previous, key))
            {
                return new byte[][] {previous, key};
            }
        }
    }
}
