package dev.tidemark.testkit.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a key-value workload did before a crash, and what it learned about each transaction's outcome; and the
 * oracle that checks a recovered state against it.
 *
 * <p>Record each transaction as it runs: {@link #begin()}, then {@link Txn#put} / {@link Txn#delete} <em>after</em>
 * the store's call returned, then {@link Txn#committing()} just before calling commit and {@link Txn#acknowledged()}
 * once it returned; {@link Txn#rolledBack()} when it rolled back or failed before commit was called. A commit that
 * threw, or that the crash interrupted, stays <em>in doubt</em>: it may or may not have committed.
 *
 * <p>Ordering: writes to one key are ordered by when they were recorded. That is the store's order when a writer
 * cannot write a key before the previous writer of that key finished (row locks, or one writer at a time); record
 * the write after the store's put returned, and it holds. Give every write a distinct value, so that the oracle can
 * tell whose write a recovered value is.
 *
 * <p>Thread-safe: threads record their own transactions concurrently.
 */
public final class KvHistory
{
    private final AtomicLong sequence = new AtomicLong();
    private final List<Txn> transactions = Collections.synchronizedList(new ArrayList<>());

    /** Where a recorded transaction stands. */
    public enum Outcome
    {
        /** Running, or ended without calling commit: its writes must not be visible. */
        NOT_COMMITTED,
        /** Commit was called and did not return (it threw, or the crash came first): all or nothing. */
        IN_DOUBT,
        /** Commit returned: its writes must be visible, unless a later write to the key replaced them. */
        ACKNOWLEDGED
    }

    /** @return a new transaction's record */
    public Txn begin()
    {
        final Txn txn = new Txn(transactions.size());
        transactions.add(txn);
        return txn;
    }

    /** One transaction's record; used by the thread that runs the transaction. */
    public final class Txn
    {
        private final int number;
        private final Map<Key, Write> writes = new HashMap<>();
        private volatile Outcome outcome = Outcome.NOT_COMMITTED;
        /** The history's sequence when commit was called, and when it returned (0: not yet). */
        private volatile long committingAt;
        private volatile long returnedAt;

        private Txn(final int number)
        {
            this.number = number;
        }

        /** Records that the store accepted a put of {@code value} (copied) under {@code key} (copied). */
        public void put(final byte[] key, final byte[] value)
        {
            write(key, Objects.requireNonNull(value, "value").clone());
        }

        /** Records that the store accepted a delete of {@code key}. */
        public void delete(final byte[] key)
        {
            write(key, null);
        }

        private void write(final byte[] key, final byte[] value)
        {
            requireOpen();
            writes.put(new Key(key), new Write(this, value, sequence.incrementAndGet()));
        }

        /** Records that commit is about to be called: from here on the transaction is in doubt. */
        public void committing()
        {
            requireOpen();
            committingAt = sequence.incrementAndGet();
            outcome = Outcome.IN_DOUBT;
        }

        /** Records that commit returned, promising durability (a SYNC commit). */
        public void acknowledged()
        {
            requireCommitting("acknowledged()");
            returnedAt = sequence.incrementAndGet();
            outcome = Outcome.ACKNOWLEDGED;
        }

        /**
         * Records that commit returned without promising durability (ASYNC, NONE): the transaction stays in doubt,
         * but every transaction whose commit is called from here on orders after it (O4: a later commit may not
         * survive a crash that this one did not).
         */
        public void returned()
        {
            requireCommitting("returned()");
            returnedAt = sequence.incrementAndGet();
        }

        private void requireCommitting(final String call)
        {
            if (outcome != Outcome.IN_DOUBT)
            {
                throw new IllegalStateException("transaction " + number + " is " + outcome + "; call committing()"
                    + " before the store's commit and " + call + " after it returned");
            }
        }

        /** Records that the transaction rolled back, or failed before commit was called. */
        public void rolledBack()
        {
            if (outcome != Outcome.NOT_COMMITTED)
            {
                throw new IllegalStateException("transaction " + number + " is " + outcome + " already");
            }
        }

        public Outcome outcome()
        {
            return outcome;
        }

        private void requireOpen()
        {
            if (outcome != Outcome.NOT_COMMITTED)
            {
                throw new IllegalStateException("transaction " + number + " is " + outcome + "; record its writes "
                    + "before committing()");
            }
        }

        @Override
        public String toString()
        {
            return "transaction " + number + " (" + outcome + ", " + writes.size() + " writes)";
        }
    }

    /**
     * Checks a recovered state: every key of {@code recovered} (key to value; a key that is absent has no value)
     * against every recorded write.
     * <ul>
     *   <li>O1 durability: a key's value is at least as new as its latest acknowledged write (that write's value,
     *       or the value of a later write that may have committed);</li>
     *   <li>O2 no ghosts: every value present was written by an acknowledged or in-doubt transaction, and a key
     *       that no such transaction wrote is absent;</li>
     *   <li>O3 atomicity: an in-doubt transaction shows on every key where its write is the newest candidate, or on
     *       none of them;</li>
     *   <li>O4 prefix: a transaction whose commit returned ({@link Txn#acknowledged()} or {@link Txn#returned()})
     *       before another's commit was called is not lost while the other survived.</li>
     * </ul>
     *
     * @return the violations found, each naming the oracle, key and transactions; empty when the state passes
     */
    public List<String> check(final Map<byte[], byte[]> recovered)
    {
        final Map<Key, byte[]> state = new HashMap<>();
        recovered.forEach((key, value) -> state.put(new Key(key), value));
        final Map<Key, List<Write>> byKey = new HashMap<>();
        final List<Txn> all;
        synchronized (transactions)
        {
            all = new ArrayList<>(transactions);
        }
        for (final Txn txn : all)
        {
            txn.writes.forEach((key, write) -> byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(write));
        }
        final List<String> violations = new ArrayList<>();
        // per in-doubt transaction: the keys where it is the newest candidate, and whether each shows its write
        final Map<Txn, int[]> shown = new HashMap<>();
        for (final Map.Entry<Key, List<Write>> entry : byKey.entrySet())
        {
            final Key key = entry.getKey();
            final List<Write> writes = entry.getValue();
            writes.sort((a, b) -> Long.compare(a.sequence, b.sequence));
            int floor = -1;
            for (int i = 0; i < writes.size(); i++)
            {
                if (writes.get(i).txn.outcome == Outcome.ACKNOWLEDGED)
                {
                    floor = i;
                }
            }
            final boolean present = state.containsKey(key);
            final byte[] value = state.get(key);
            int match = -1;
            for (int i = Math.max(floor, 0); i < writes.size(); i++)
            {
                final Write write = writes.get(i);
                if (write.txn.outcome != Outcome.NOT_COMMITTED && write.shows(present, value))
                {
                    match = i;
                }
            }
            final boolean initialAllowed = floor < 0 && !present;
            if (match < 0 && !initialAllowed)
            {
                violations.add(describe(key, present, value, writes, floor));
            }
            // O3: the newest in-doubt candidate above the floor either shows or does not
            for (int i = writes.size() - 1; i > floor; i--)
            {
                final Write write = writes.get(i);
                if (write.txn.outcome == Outcome.IN_DOUBT)
                {
                    // a value an older write explains as well (a delete of an absent key, a put of the same value)
                    // tells nothing about this transaction
                    if (match != i || !explainedBefore(writes, floor, i, present, value))
                    {
                        final int[] counts = shown.computeIfAbsent(write.txn, t -> new int[2]);
                        counts[match == i ? 0 : 1]++;
                    }
                    break;
                }
                if (write.txn.outcome == Outcome.ACKNOWLEDGED)
                {
                    break;
                }
            }
        }
        shown.forEach((txn, counts) ->
        {
            if (counts[0] > 0 && counts[1] > 0)
            {
                violations.add("O3 atomicity: " + txn + " shows on " + counts[0] + " of its keys and not on "
                    + counts[1]);
            }
        });
        checkPrefix(all, shown, violations);
        for (final Key key : state.keySet())
        {
            if (!byKey.containsKey(key))
            {
                violations.add("O2 no ghosts: key " + key + " holds a value no recorded transaction wrote");
            }
        }
        return violations;
    }

    /**
     * O4 prefix: a transaction whose commit returned before another's commit was called precedes it in commit
     * order, so if the later one survived (acknowledged, or in doubt and showing) the earlier one must have too. An
     * in-doubt transaction counts as lost only where the state shows that it is missing (its write is a key's newest
     * candidate and the key does not hold it).
     */
    private static void checkPrefix(final List<Txn> all, final Map<Txn, int[]> shown, final List<String> violations)
    {
        final List<Txn> lost = new ArrayList<>();
        final List<Txn> survived = new ArrayList<>();
        for (final Txn txn : all)
        {
            final int[] counts = shown.get(txn);
            // a transaction that wrote nothing proves nothing: a store need not log or force its commit
            if (!txn.writes.isEmpty()
                && (txn.outcome == Outcome.ACKNOWLEDGED || counts != null && counts[0] > 0 && counts[1] == 0))
            {
                survived.add(txn);
            }
            else if (txn.outcome == Outcome.IN_DOUBT && counts != null && counts[0] == 0 && counts[1] > 0)
            {
                lost.add(txn);
            }
        }
        for (final Txn earlier : lost)
        {
            if (earlier.returnedAt == 0)
            {
                continue;
            }
            for (final Txn later : survived)
            {
                if (later.committingAt > earlier.returnedAt)
                {
                    violations.add("O4 prefix: " + later + " survived, but " + earlier + ", whose commit returned "
                        + "before " + later + "'s commit was called, did not");
                    break;
                }
            }
        }
    }

    /** @return whether the key's state is also what it held before write {@code at} (absent, or an older write) */
    private static boolean explainedBefore(final List<Write> writes, final int floor, final int at,
        final boolean present, final byte[] value)
    {
        if (floor < 0 && !present)
        {
            return true;
        }
        for (int i = Math.max(floor, 0); i < at; i++)
        {
            final Write write = writes.get(i);
            if (write.txn.outcome != Outcome.NOT_COMMITTED && write.shows(present, value))
            {
                return true;
            }
        }
        return false;
    }

    private static String describe(final Key key, final boolean present, final byte[] value, final List<Write> writes,
        final int floor)
    {
        final StringBuilder text = new StringBuilder();
        text.append(floor >= 0 ? "O1 durability / O2 no ghosts" : "O2 no ghosts").append(": key ").append(key)
            .append(" holds ").append(present ? Arrays.toString(value) : "nothing").append("; its writes, oldest first:");
        for (final Write write : writes)
        {
            text.append(' ').append(write.txn).append(write.value == null ? " deleted" : " wrote "
                + Arrays.toString(write.value)).append(';');
        }
        return text.toString();
    }

    private static final class Write
    {
        final Txn txn;
        final byte[] value;
        final long sequence;

        Write(final Txn txn, final byte[] value, final long sequence)
        {
            this.txn = txn;
            this.value = value;
            this.sequence = sequence;
        }

        boolean shows(final boolean present, final byte[] found)
        {
            return value == null ? !present : present && Arrays.equals(value, found);
        }
    }

    private static final class Key
    {
        final byte[] bytes;
        final int hash;

        Key(final byte[] bytes)
        {
            this.bytes = Objects.requireNonNull(bytes, "key").clone();
            this.hash = Arrays.hashCode(this.bytes);
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Key && Arrays.equals(bytes, ((Key)other).bytes);
        }

        @Override
        public int hashCode()
        {
            return hash;
        }

        @Override
        public String toString()
        {
            return Arrays.toString(bytes);
        }
    }
}
