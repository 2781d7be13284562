package dev.tidemark;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Writers by transaction id, for the commit table: a ring indexed by the id's low bits, and a map for a writer whose
 * ring slot is still held by an older one. Ids are dense and a writer stays only until it settles (a few
 * milliseconds of commits), so the map is rarely used; adding and removing is one CAS, finding one array read,
 * with no boxing and no allocation.
 *
 * <p>Thread-safe. A writer is added before any of its versions can be found, and removed at most once.
 */
final class WriterTable
{
    private final AtomicReferenceArray<Txn> ring;
    private final int mask;
    private final ConcurrentHashMap<Long, Txn> spilled = new ConcurrentHashMap<>();

    /** @param ringSize a power of two */
    WriterTable(final int ringSize)
    {
        if (Integer.bitCount(ringSize) != 1)
        {
            throw new IllegalArgumentException("ring size must be a power of two, was " + ringSize);
        }
        this.ring = new AtomicReferenceArray<>(ringSize);
        this.mask = ringSize - 1;
    }

    void add(final Txn txn)
    {
        if (!ring.compareAndSet(index(txn.id()), null, txn))
        {
            spilled.put(txn.id(), txn);
        }
    }

    /** @return the writer with {@code id}, or null */
    Txn get(final long id)
    {
        final Txn txn = ring.get(index(id));
        if (txn != null && txn.id() == id)
        {
            return txn;
        }
        return spilled.isEmpty() ? null : spilled.get(id);
    }

    void remove(final Txn txn)
    {
        if (!ring.compareAndSet(index(txn.id()), txn, null))
        {
            spilled.remove(txn.id(), txn);
        }
    }

    /** Calls {@code action} for every writer (weakly consistent, like a concurrent map's iteration). */
    void forEach(final Consumer<Txn> action)
    {
        for (int i = 0; i <= mask; i++)
        {
            final Txn txn = ring.get(i);
            if (txn != null)
            {
                action.accept(txn);
            }
        }
        spilled.values().forEach(action);
    }

    private int index(final long id)
    {
        return (int)id & mask;
    }
}
