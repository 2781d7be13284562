package dev.tidemark.lock;

/**
 * Finds and breaks deadlocks. A check takes every stripe lock (in index order, so two checks cannot deadlock
 * each other and no other path holds two stripe locks), builds the waits-for graph of the frozen table, and while
 * the graph has a cycle, ends the wait of the youngest owner on any cycle with {@link LockResult#DEADLOCK} and
 * builds the graph again. So a simple cycle loses exactly its youngest member, every victim is on a cycle of the
 * real table at the moment it is chosen, and no cycle survives a check.
 *
 * <p>Thread-safe: any thread may call {@link #detect()}; checks run one at a time.
 */
final class DeadlockDetector
{
    private final LockStripe[] stripes;
    private final WaitsForGraph graph = new WaitsForGraph();

    DeadlockDetector(final LockStripe[] stripes)
    {
        this.stripes = stripes;
    }

    /** @return true when some transaction waits; a cheap read of one counter per stripe, no lock. */
    boolean hasWaiters()
    {
        for (final LockStripe stripe : stripes)
        {
            if (stripe.hasWaiters())
            {
                return true;
            }
        }
        return false;
    }

    /** @return the number of victims chosen. */
    int detect()
    {
        int locked = 0;
        try
        {
            for (final LockStripe stripe : stripes)
            {
                stripe.lock.lock();
                locked++;
            }
            int victims = 0;
            LockOwner victim;
            while ((victim = findVictim()) != null)
            {
                final LockNode node = victim.pending;
                node.stripe.abandon(node, LockResult.DEADLOCK);
                victims++;
            }
            return victims;
        }
        finally
        {
            while (locked > 0)
            {
                stripes[--locked].lock.unlock();
            }
        }
    }

    private LockOwner findVictim()
    {
        graph.clear();
        for (final LockStripe stripe : stripes)
        {
            stripe.forEachWaiter(node -> graph.addVertex(node.owner));
        }
        if (graph.vertexCount() < 2)
        {
            return null;
        }
        for (final LockStripe stripe : stripes)
        {
            stripe.forEachWaiter(node -> node.head.forEachBlocker(node, blocker -> graph.addEdge(node.owner, blocker)));
        }
        return graph.youngestOnCycle();
    }
}
