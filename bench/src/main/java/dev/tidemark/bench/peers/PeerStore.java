package dev.tidemark.bench.peers;

/**
 * One open store of one engine, as the peer comparison drives it: the small interface every engine, Tidemark
 * included, implements in this package. Keys compare as unsigned bytes in every engine.
 *
 * <p>Every write is a transaction of its own that is durable when the call returns: forced to stable storage as
 * the engine's durable setting does it ({@link Peer#durableSetting()}). Reads see every write that returned
 * before they began. Every method is safe to call from many threads at once. The store copies what it is given:
 * a caller may not change an array after passing it, and gets arrays of its own back.
 */
public interface PeerStore extends AutoCloseable
{
    /** Writes {@code keys[0..count)} with {@code values[0..count)} in one durable transaction (one commit). */
    void writeBatch(byte[][] keys, byte[][] values, int count);

    /** Writes one entry in a durable transaction of its own. */
    void put(byte[] key, byte[] value);

    /** @return the value of {@code key}, or null when there is none */
    byte[] get(byte[] key);

    /**
     * Visits, in ascending key order, the entries from the first key at or after {@code start} (the first entry of
     * the store when null), at most {@code limit} of them, in one read transaction.
     *
     * @return how many entries were visited
     */
    long scan(byte[] start, long limit, EntryVisitor visitor);

    /** Visits, in descending key order from the last entry, at most {@code limit} entries in one read transaction. */
    long scanDescending(long limit, EntryVisitor visitor);

    /** Closes the store; everything written is on disk afterwards. */
    @Override
    void close();

    /** Receives the entries of a scan. */
    @FunctionalInterface
    interface EntryVisitor
    {
        void visit(byte[] key, byte[] value);
    }
}
