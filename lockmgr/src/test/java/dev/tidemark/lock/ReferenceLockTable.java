package dev.tidemark.lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately naive model of the lock manager's specification, for the stateful property test: maps and lists,
 * one resource at a time, nothing shared, no pooling. Transactions are named by their (unique) ids; a larger id
 * is younger.
 */
final class ReferenceLockTable
{
    /** A queued request: an upgrade carries the mode already joined with the held one. */
    record Waiter(long txn, LockMode mode, boolean upgrade)
    {
    }

    /** What a waiting transaction waits for, as the lock-wait view should report it. */
    record Wait(LockResource resource, LockMode requested, LockMode held, Set<Long> waitsFor)
    {
    }

    private static final class Queue
    {
        final Map<Long, LockMode> holders = new LinkedHashMap<>();
        final List<Waiter> waiters = new ArrayList<>();
    }

    private final Map<LockResource, Queue> queues = new LinkedHashMap<>();
    private final Map<Long, LockResource> waitingOn = new HashMap<>();
    private final Map<Long, LockResult> outcomes = new HashMap<>();
    private final Set<Long> cancelled = new HashSet<>();

    LockResult request(final long txn, final LockResource resource, final LockMode mode, final boolean mayWait)
    {
        final Queue queue = queues.computeIfAbsent(resource, r -> new Queue());
        final LockMode held = queue.holders.get(txn);
        final Waiter waiter;
        if (held != null)
        {
            if (held.covers(mode))
            {
                return LockResult.GRANTED;
            }
            final LockMode joined = held.join(mode);
            if (grantable(queue, joined, txn))
            {
                queue.holders.put(txn, joined);
                return LockResult.GRANTED;
            }
            waiter = new Waiter(txn, joined, true);
        }
        else
        {
            if (queue.waiters.isEmpty() && grantable(queue, mode, -1))
            {
                queue.holders.put(txn, mode);
                return LockResult.GRANTED;
            }
            waiter = new Waiter(txn, mode, false);
        }
        if (!mayWait || cancelled.contains(txn))
        {
            dropIfEmpty(resource);
            return mayWait ? LockResult.CANCELLED : LockResult.TIMEOUT;
        }
        if (waiter.upgrade())
        {
            int position = 0;
            while (position < queue.waiters.size() && queue.waiters.get(position).upgrade())
            {
                position++;
            }
            queue.waiters.add(position, waiter);
        }
        else
        {
            queue.waiters.add(waiter);
        }
        waitingOn.put(txn, resource);
        return LockResult.WAITING;
    }

    boolean release(final long txn, final LockResource resource)
    {
        final Queue queue = queues.get(resource);
        if (queue == null || queue.holders.remove(txn) == null)
        {
            return false;
        }
        grantWaiters(resource);
        return true;
    }

    void cancel(final long txn)
    {
        cancelled.add(txn);
        abandon(txn, LockResult.CANCELLED);
    }

    void releaseAll(final long txn)
    {
        abandon(txn, LockResult.CANCELLED);
        outcomes.remove(txn);
        for (final LockResource resource : new ArrayList<>(queues.keySet()))
        {
            release(txn, resource);
        }
    }

    /** Ends a wait without granting it; a no-op when the transaction does not wait. */
    void abandon(final long txn, final LockResult result)
    {
        final LockResource resource = waitingOn.remove(txn);
        if (resource == null)
        {
            return;
        }
        queues.get(resource).waiters.removeIf(w -> w.txn() == txn);
        outcomes.put(txn, result);
        grantWaiters(resource);
    }

    /** @return WAITING, the uncollected outcome of the last wait, or null; an outcome is collected by reading it. */
    LockResult collect(final long txn)
    {
        if (waitingOn.containsKey(txn))
        {
            return LockResult.WAITING;
        }
        return outcomes.remove(txn);
    }

    boolean isWaiting(final long txn)
    {
        return waitingOn.containsKey(txn);
    }

    LockMode held(final long txn, final LockResource resource)
    {
        final Queue queue = queues.get(resource);
        return queue == null ? null : queue.holders.get(txn);
    }

    int resourceCount()
    {
        return queues.size();
    }

    /** @return every waiting transaction and what it waits for, by transaction id. */
    Map<Long, Wait> waits()
    {
        final Map<Long, Wait> waits = new TreeMap<>();
        for (final Map.Entry<LockResource, Queue> entry : queues.entrySet())
        {
            final Queue queue = entry.getValue();
            for (int i = 0; i < queue.waiters.size(); i++)
            {
                final Waiter waiter = queue.waiters.get(i);
                final Set<Long> blockers = new TreeSet<>();
                queue.holders.forEach((holder, mode) ->
                {
                    if (holder != waiter.txn() && !Compatibility.compatible(waiter.mode(), mode))
                    {
                        blockers.add(holder);
                    }
                });
                if (!waiter.upgrade())
                {
                    for (int j = 0; j < i; j++)
                    {
                        blockers.add(queue.waiters.get(j).txn());
                    }
                }
                waits.put(waiter.txn(), new Wait(entry.getKey(), waiter.mode(),
                    waiter.upgrade() ? queue.holders.get(waiter.txn()) : null, blockers));
            }
        }
        return waits;
    }

    /** @return the waits-for graph among waiting transactions. */
    Map<Long, Set<Long>> graph()
    {
        final Map<Long, Wait> waits = waits();
        final Map<Long, Set<Long>> graph = new TreeMap<>();
        waits.forEach((txn, wait) ->
        {
            final Set<Long> targets = new TreeSet<>(wait.waitsFor());
            targets.retainAll(waits.keySet());
            graph.put(txn, targets);
        });
        return graph;
    }

    /** Breaks every cycle, the youngest transaction on any cycle first; @return the victims in choice order. */
    List<Long> detectDeadlocks()
    {
        final List<Long> victims = new ArrayList<>();
        while (true)
        {
            final Set<Long> onCycles = onCycles(graph());
            if (onCycles.isEmpty())
            {
                return victims;
            }
            final long victim = onCycles.stream().mapToLong(Long::longValue).max().orElseThrow();
            abandon(victim, LockResult.DEADLOCK);
            victims.add(victim);
        }
    }

    /** @return the vertices that can reach themselves. */
    static Set<Long> onCycles(final Map<Long, Set<Long>> graph)
    {
        final Set<Long> result = new TreeSet<>();
        for (final Long start : graph.keySet())
        {
            if (reachable(graph, start).contains(start))
            {
                result.add(start);
            }
        }
        return result;
    }

    /** @return the vertices reachable from {@code start} by one edge or more. */
    static Set<Long> reachable(final Map<Long, Set<Long>> graph, final long start)
    {
        final Set<Long> seen = new HashSet<>();
        final List<Long> work = new ArrayList<>(graph.getOrDefault(start, Set.of()));
        while (!work.isEmpty())
        {
            final Long next = work.remove(work.size() - 1);
            if (seen.add(next))
            {
                work.addAll(graph.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private boolean grantable(final Queue queue, final LockMode mode, final long except)
    {
        for (final Map.Entry<Long, LockMode> holder : queue.holders.entrySet())
        {
            if (holder.getKey() != except && !Compatibility.compatible(mode, holder.getValue()))
            {
                return false;
            }
        }
        return true;
    }

    private void grantWaiters(final LockResource resource)
    {
        final Queue queue = queues.get(resource);
        boolean upgradeWaits = false;
        for (final Waiter waiter : new ArrayList<>(queue.waiters))
        {
            if (waiter.upgrade())
            {
                if (grantable(queue, waiter.mode(), waiter.txn()))
                {
                    grant(queue, waiter);
                }
                else
                {
                    upgradeWaits = true;
                }
            }
            else if (!upgradeWaits && grantable(queue, waiter.mode(), -1))
            {
                grant(queue, waiter);
            }
            else
            {
                break;
            }
        }
        dropIfEmpty(resource);
    }

    private void grant(final Queue queue, final Waiter waiter)
    {
        queue.waiters.remove(waiter);
        queue.holders.put(waiter.txn(), waiter.mode());
        waitingOn.remove(waiter.txn());
        outcomes.put(waiter.txn(), LockResult.GRANTED);
    }

    private void dropIfEmpty(final LockResource resource)
    {
        final Queue queue = queues.get(resource);
        if (queue.holders.isEmpty() && queue.waiters.isEmpty())
        {
            queues.remove(resource);
        }
    }
}
