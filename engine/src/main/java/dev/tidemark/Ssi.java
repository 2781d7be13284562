package dev.tidemark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.collections.LongArrayList;

/**
 * Serializable snapshot isolation (Cahill, Röhm and Fekete, SIGMOD 2008; Ports and Grittner, VLDB 2012) for
 * {@link IsolationLevel#SERIALIZABLE} transactions.
 *
 * <p>Every serializable transaction records what it read: keys, and key ranges for scans (so that a later insert
 * into a scanned range is seen: no phantoms). A read-write antidependency {@code R →rw W} between two concurrent
 * serializable transactions arises when W writes a key R read, or R reads a key and skips a version W wrote that
 * its snapshot does not include. Every execution that snapshot isolation allows but that is not serializable
 * contains a pivot: a transaction with both an incoming and an outgoing antidependency from concurrent
 * transactions (Fekete et al., TODS 2005). So whenever an antidependency is added and one of its ends is then a
 * pivot, one transaction is aborted: the one that added the edge when it is a pivot itself; otherwise the pivot at
 * the other end when it is still running, or (that pivot already passed its commit check) the one that added the
 * edge. One victim is enough: when both ends are pivots, the new edge is part of each end's dangerous
 * structure, and aborting either end removes it (a pivot flag that predates the edge was dealt with when it was
 * set). The flags stay set after a victim aborts, which can only abort more, never fewer. A transaction doomed
 * this way fails at its next operation or at commit with {@link SerializationFailureException}.
 *
 * <p>A write registers after its version is in the tree and a read registers before it looks, so that of a
 * concurrent read and write of one key at least one sees the other. A committed transaction's reads are kept
 * until no running transaction began before it committed. A serial history adds no edge and never aborts.
 *
 * <p>Thread-safe: edge decisions and commits serialize on this object.
 */
final class Ssi
{
    private static final byte[] LOWEST = new byte[0];

    private final ConcurrentHashMap<Long, State> tracked = new ConcurrentHashMap<>();

    State begin(final long txnId, final long readTimestamp)
    {
        final State state = new State(txnId, readTimestamp);
        tracked.put(txnId, state);
        return state;
    }

    /** Records a read of one key (present or not). */
    void readKey(final State reader, final long keyspace, final byte[] key)
    {
        final byte[] successor = Arrays.copyOf(key, key.length + 1);
        reader.add(new Read(keyspace, key.clone(), successor));
    }

    /** Records a scan of {@code [from, to)} (null bounds are open). */
    void readRange(final State reader, final long keyspace, final byte[] from, final byte[] to)
    {
        reader.add(new Read(keyspace, from == null ? LOWEST : from.clone(), to == null ? null : to.clone()));
    }

    /**
     * The reader skipped a version by {@code writerId} that its snapshot does not include.
     *
     * @throws SerializationFailureException when the reader must abort
     */
    void sawNewerVersion(final State reader, final long writerId)
    {
        final State writer = tracked.get(writerId);
        if (writer != null && writer != reader && !writer.aborted)
        {
            edge(reader, writer, reader);
        }
    }

    /**
     * The writer's version of {@code key} is in the tree: every concurrent serializable reader of it gains an
     * edge to the writer.
     *
     * @throws SerializationFailureException when the writer must abort
     */
    void wrote(final State writer, final long keyspace, final byte[] key)
    {
        for (final State reader : tracked.values())
        {
            if (reader == writer || reader.aborted)
            {
                continue;
            }
            if (reader.committed && reader.commitTimestamp <= writer.readTimestamp)
            {
                continue;
            }
            if (reader.covers(keyspace, key))
            {
                edge(reader, writer, writer);
            }
        }
    }

    private synchronized void edge(final State reader, final State writer, final State current)
    {
        reader.out = true;
        writer.in = true;
        final State other = current == reader ? writer : reader;
        if (current.in && current.out)
        {
            current.doomed = true;
        }
        else if (other.in && other.out && !other.doomed)
        {
            // one victim is enough: the other end's new edge is with it. The current transaction when the pivot
            // already passed its commit check, otherwise the pivot
            if (other.finishing)
            {
                current.doomed = true;
            }
            else
            {
                other.doomed = true;
            }
        }
        if (current.doomed)
        {
            throw new SerializationFailureException(current.txnId, "transaction " + current.txnId
                + " was aborted: its reads and writes form a dangerous cycle with concurrent serializable "
                + "transactions (read-write antidependencies in and out); retry it");
        }
    }

    /**
     * Checks that {@code state} may commit and marks it committing, atomically with edge decisions.
     *
     * @throws SerializationFailureException when it was doomed
     */
    synchronized void beginCommit(final State state)
    {
        if (state.doomed)
        {
            throw new SerializationFailureException(state.txnId, "transaction " + state.txnId + " was aborted at "
                + "commit: it is the pivot of a dangerous cycle of concurrent serializable transactions; retry it");
        }
        state.finishing = true;
    }

    /** @throws SerializationFailureException when another transaction's edge doomed {@code state} */
    void check(final State state)
    {
        if (state.doomed)
        {
            throw new SerializationFailureException(state.txnId, "transaction " + state.txnId + " was aborted: "
                + "it is the pivot of a dangerous cycle of concurrent serializable transactions; retry it");
        }
    }

    void committed(final State state, final long commitTimestamp, final long horizon)
    {
        state.commitTimestamp = commitTimestamp;
        state.committed = true;
        forget(horizon);
    }

    void aborted(final State state, final long horizon)
    {
        state.aborted = true;
        tracked.remove(state.txnId);
        forget(horizon);
    }

    /** Drops committed transactions that no running transaction overlaps: all began after they committed. */
    private void forget(final long horizon)
    {
        tracked.values().removeIf(s -> s.committed && s.commitTimestamp <= horizon);
    }

    int trackedCount()
    {
        return tracked.size();
    }

    /** What one serializable transaction read, and its edges. */
    static final class State
    {
        final long txnId;
        final long readTimestamp;
        private final List<Read> reads = new ArrayList<>();
        private LongArrayList skipped;
        /** Valid once {@link #committed}; a read-only transaction's is the newest timestamp it could see. */
        volatile long commitTimestamp;
        volatile boolean committed;
        volatile boolean in;
        volatile boolean out;
        volatile boolean doomed;
        volatile boolean finishing;
        volatile boolean aborted;

        State(final long txnId, final long readTimestamp)
        {
            this.txnId = txnId;
            this.readTimestamp = readTimestamp;
        }

        /** @return the owner thread's empty scratch list of writers whose versions a read skipped */
        LongArrayList skipped()
        {
            if (skipped == null)
            {
                skipped = new LongArrayList();
            }
            skipped.clear();
            return skipped;
        }

        synchronized void add(final Read read)
        {
            reads.add(read);
        }

        synchronized boolean covers(final long keyspace, final byte[] key)
        {
            for (final Read read : reads)
            {
                if (read.keyspace == keyspace && Arrays.compareUnsigned(key, read.from) >= 0
                    && (read.to == null || Arrays.compareUnsigned(key, read.to) < 0))
                {
                    return true;
                }
            }
            return false;
        }
    }

    /** A read key range {@code [from, to)}; {@code to} null means to the end. */
    private static final class Read
    {
        final long keyspace;
        final byte[] from;
        final byte[] to;

        Read(final long keyspace, final byte[] from, final byte[] to)
        {
            this.keyspace = keyspace;
            this.from = from;
            this.to = to;
        }
    }
}
