package dev.tidemark;

/**
 * A transaction: reads see what its {@link IsolationLevel} allows, writes lock their rows until the end, and
 * {@link #commit()} makes everything durable as its {@link Durability} asks. Not thread-safe: one thread uses a
 * transaction at a time. After {@link #commit()}, {@link #rollback()} or an abort every call but {@link #close()}
 * and the getters fails with {@link IllegalStateException}.
 *
 * <p>Keys are 1 to 2,048 bytes and ordered as unsigned bytes; values are 0 bytes up to
 * {@link DatabaseOptions#maxValueLength()}. Null, empty or over-long input is an {@link IllegalArgumentException}
 * (or {@link NullPointerException}) that changes nothing.
 */
public interface Transaction extends AutoCloseable
{
    long id();

    IsolationLevel isolation();

    /** @return whether the transaction can still read and write */
    boolean isActive();

    /** @return the value this transaction sees for {@code key}, or null */
    byte[] get(Keyspace keyspace, byte[] key);

    /** A locking read: takes the row's exclusive lock, then returns the latest committed value (or own write). */
    byte[] getForUpdate(Keyspace keyspace, byte[] key);

    void put(Keyspace keyspace, byte[] key, byte[] value);

    /** @return whether a value this transaction saw was deleted */
    boolean delete(Keyspace keyspace, byte[] key);

    /** @return an ascending cursor over {@code [fromInclusive, toExclusive)}; a null bound is open */
    Cursor scan(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive);

    /** @return a descending cursor over {@code [fromInclusive, toExclusive)}; a null bound is open */
    Cursor scanDescending(Keyspace keyspace, byte[] fromInclusive, byte[] toExclusive);

    Savepoint savepoint();

    /** Undoes every write made after {@code savepoint}; the transaction stays active. */
    void rollbackTo(Savepoint savepoint);

    void commit();

    void rollback();

    /** Rolls back when still active. */
    @Override
    void close();
}
