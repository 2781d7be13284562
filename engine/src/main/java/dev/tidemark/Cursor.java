package dev.tidemark;

/**
 * An ordered scan inside a transaction: a consistent snapshot plus the transaction's own writes. {@link #key()}
 * and {@link #value()} return copies of the current entry. Close it (or its transaction) when done.
 */
public interface Cursor extends AutoCloseable
{
    /** @return whether the cursor moved to another entry */
    boolean next();

    /** @return the current key (a new array) */
    byte[] key();

    /** @return the current value (a new array) */
    byte[] value();

    @Override
    void close();
}
