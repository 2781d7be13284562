package dev.tidemark.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.statistics.Statistics;

/**
 * The state of the stateful property test: a lock manager driven single-threaded through its non-blocking API,
 * the reference model driven alongside, and a fixed set of simulated transactions ("slots"). Every operation is
 * applied to both and the results compared; finished waits are collected after every operation, and a deadlock
 * victim rolls back at once (release all, restart with a new, younger id).
 */
final class LockSystem
{
    static final List<LockResource> RESOURCES = List.of(
        LockResource.keyspace(1),
        LockResource.row(1, bytes("a")),
        LockResource.row(1, bytes("b")),
        LockResource.range(1, bytes("b")),
        LockResource.rangeToEnd(1),
        LockResource.keyspace(2),
        LockResource.row(2, bytes("a")));

    private final LockManager manager;
    private final ReferenceLockTable model = new ReferenceLockTable();
    private final LockOwner[] owners;
    private final LockTarget target = new LockTarget();
    private final int stripes;
    private long nextTxnId;

    LockSystem(final int transactions, final int stripes)
    {
        this.stripes = stripes;
        this.manager = LockManager.open(LockManagerOptions.builder()
            .stripes(stripes)
            .deadlockDetection(DeadlockDetection.MANUAL)
            .build());
        this.owners = new LockOwner[transactions];
        for (int slot = 0; slot < transactions; slot++)
        {
            owners[slot] = manager.newOwner(++nextTxnId);
        }
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    int transactions()
    {
        return owners.length;
    }

    List<Integer> idleSlots()
    {
        final List<Integer> idle = new ArrayList<>();
        for (int slot = 0; slot < owners.length; slot++)
        {
            if (!model.isWaiting(id(slot)))
            {
                idle.add(slot);
            }
        }
        return idle;
    }

    List<Integer> waitingSlots()
    {
        final List<Integer> waiting = new ArrayList<>();
        for (int slot = 0; slot < owners.length; slot++)
        {
            if (model.isWaiting(id(slot)))
            {
                waiting.add(slot);
            }
        }
        return waiting;
    }

    List<LockResource> heldBy(final int slot)
    {
        final List<LockResource> held = new ArrayList<>();
        for (final LockResource resource : RESOURCES)
        {
            if (model.held(id(slot), resource) != null)
            {
                held.add(resource);
            }
        }
        return held;
    }

    void request(final int slot, final LockResource resource, final LockMode mode)
    {
        final LockResult expected = model.request(id(slot), resource, mode, true);
        final LockResult actual = manager.request(owners[slot], target.set(resource), mode);
        Statistics.label("request outcome").collect(
            actual == LockResult.WAITING && model.waits().get(id(slot)).held() != null ? "UPGRADE WAITS" : actual);
        assertThat(actual).as("request %s %s by txn %d", mode, resource, id(slot)).isEqualTo(expected);
        settle();
    }

    void tryAcquire(final int slot, final LockResource resource, final LockMode mode)
    {
        final LockResult expected = model.request(id(slot), resource, mode, false);
        final LockResult actual = manager.acquire(owners[slot], target.set(resource), mode, 0);
        assertThat(actual).as("try %s %s by txn %d", mode, resource, id(slot)).isEqualTo(expected);
        settle();
    }

    /** The waiting transaction's wait times out (a real timed wait of one nanosecond; nobody else can grant it). */
    void timeOut(final int slot)
    {
        model.abandon(id(slot), LockResult.TIMEOUT);
        final LockResult expected = model.collect(id(slot));
        assertThat(manager.await(owners[slot], 1)).as("timed wait of txn %d", id(slot)).isEqualTo(expected);
        settle();
    }

    void release(final int slot, final LockResource resource)
    {
        final boolean expected = model.release(id(slot), resource);
        assertThat(manager.release(owners[slot], target.set(resource))).isEqualTo(expected);
        settle();
    }

    /** Cancel for another reason: the wait ends, later waits fail at once, the locks stay held. */
    void cancel(final int slot)
    {
        final boolean wasWaiting = model.isWaiting(id(slot));
        model.cancel(id(slot));
        assertThat(manager.cancel(owners[slot])).isEqualTo(wasWaiting);
        settle();
    }

    void commit(final int slot)
    {
        finish(slot);
        settle();
    }

    void abort(final int slot)
    {
        model.cancel(id(slot));
        manager.cancel(owners[slot]);
        finish(slot);
        settle();
    }

    void detectDeadlocks()
    {
        final Map<Long, Set<Long>> before = model.graph();
        final List<Long> victims = model.detectDeadlocks();
        checkVictims(before, victims);
        Statistics.label("victims per deadlock check").collect(victims.size() > 1 ? "2+" : victims.size());
        assertThat(manager.detectDeadlocks()).as("victims of %s", before).isEqualTo(victims.size());
        for (final long victim : victims)
        {
            assertThat(owners[slotOf(victim)].status).as("status of victim %d", victim)
                .isEqualTo(LockResult.DEADLOCK);
        }
        settle();
    }

    /** Checked after every action: held modes, compatibility, the lock-wait view and the table size. */
    void checkInvariants()
    {
        for (final LockResource resource : RESOURCES)
        {
            final List<LockMode> modes = new ArrayList<>();
            for (int slot = 0; slot < owners.length; slot++)
            {
                final LockMode held = manager.heldMode(owners[slot], target.set(resource));
                assertThat(held).as("mode of txn %d on %s", id(slot), resource)
                    .isEqualTo(model.held(id(slot), resource));
                if (held != null)
                {
                    for (final LockMode other : modes)
                    {
                        assertThat(Compatibility.compatible(held, other))
                            .as("%s and %s granted together on %s", held, other, resource).isTrue();
                    }
                    modes.add(held);
                }
            }
        }
        final Map<Long, ReferenceLockTable.Wait> view = new TreeMap<>();
        for (final LockWait wait : manager.waits())
        {
            final Set<Long> waitsFor = new TreeSet<>();
            for (final long txn : wait.waitsFor())
            {
                waitsFor.add(txn);
            }
            view.put(wait.txnId(), new ReferenceLockTable.Wait(wait.resource(), wait.requested(), wait.held(),
                waitsFor));
        }
        assertThat(view).as("lock-wait view").isEqualTo(model.waits());
        assertThat(manager.resourceCount()).as("locked resources").isEqualTo(model.resourceCount());
    }

    void close()
    {
        manager.close();
    }

    @Override
    public String toString()
    {
        return "LockSystem{transactions=" + owners.length + ", stripes=" + stripes + '}';
    }

    /**
     * Independent of how the model picks victims: each victim lies on a cycle of the graph that remains after
     * the earlier victims stopped waiting; no cycle remains at the end; and when the cycles are disjoint simple
     * cycles, each of them loses exactly one transaction.
     */
    private static void checkVictims(final Map<Long, Set<Long>> before, final List<Long> victims)
    {
        final Map<Long, Set<Long>> remaining = copy(before);
        for (final long victim : victims)
        {
            assertThat(ReferenceLockTable.onCycles(remaining)).as("cycles of %s", remaining).contains(victim);
            remove(remaining, victim);
        }
        assertThat(ReferenceLockTable.onCycles(remaining)).as("cycles left in %s", remaining).isEmpty();
        final Set<Long> cyclic = ReferenceLockTable.onCycles(before);
        final Map<Long, Set<Long>> onCycleSuccessors = new HashMap<>();
        for (final long txn : cyclic)
        {
            final Set<Long> successors = new HashSet<>(before.get(txn));
            successors.retainAll(cyclic);
            onCycleSuccessors.put(txn, successors);
        }
        if (onCycleSuccessors.values().stream().allMatch(s -> s.size() == 1))
        {
            final Set<Long> seen = new HashSet<>();
            int cycles = 0;
            for (final long start : cyclic)
            {
                if (seen.contains(start))
                {
                    continue;
                }
                cycles++;
                final Set<Long> cycle = new HashSet<>();
                long txn = start;
                while (cycle.add(txn))
                {
                    txn = onCycleSuccessors.get(txn).iterator().next();
                }
                seen.addAll(cycle);
                assertThat(victims.stream().filter(cycle::contains).count())
                    .as("victims in the cycle %s", cycle).isEqualTo(1);
            }
            assertThat(victims).hasSize(cycles);
        }
    }

    private static Map<Long, Set<Long>> copy(final Map<Long, Set<Long>> graph)
    {
        final Map<Long, Set<Long>> copy = new TreeMap<>();
        graph.forEach((txn, targets) -> copy.put(txn, new TreeSet<>(targets)));
        return copy;
    }

    private static void remove(final Map<Long, Set<Long>> graph, final long txn)
    {
        graph.remove(txn);
        graph.values().forEach(targets -> targets.remove(txn));
    }

    /** Releases everything of the slot's transaction in both, and starts a new (younger) one in the slot. */
    private void finish(final int slot)
    {
        model.releaseAll(id(slot));
        manager.releaseAll(owners[slot]);
        assertThat(owners[slot].lockCount()).isZero();
        owners[slot] = manager.newOwner(++nextTxnId);
    }

    /** Collects finished waits in both and compares them; victims of a deadlock roll back at once. */
    private void settle()
    {
        boolean changed = true;
        while (changed)
        {
            changed = false;
            for (int slot = 0; slot < owners.length; slot++)
            {
                final LockResult expected = model.collect(id(slot));
                final LockResult actual = owners[slot].status == null ? null : manager.poll(owners[slot]);
                assertThat(actual).as("outcome for txn %d", id(slot)).isEqualTo(expected);
                if (actual == LockResult.DEADLOCK)
                {
                    finish(slot);
                    changed = true;
                }
            }
        }
    }

    private long id(final int slot)
    {
        return owners[slot].txnId();
    }

    private int slotOf(final long txnId)
    {
        for (int slot = 0; slot < owners.length; slot++)
        {
            if (id(slot) == txnId)
            {
                return slot;
            }
        }
        throw new AssertionError("no transaction " + txnId);
    }
}
