package dev.tidemark;

import java.util.List;

/** A transaction waiting for a lock, as {@link Database#lockWaits()} reports it. */
public interface LockWait
{
    /** @return the id of the waiting transaction */
    long waiterTransactionId();

    /** @return the ids of the transactions it waits for */
    List<Long> holderTransactionIds();

    /** @return the name of the keyspace of the locked key */
    String keyspace();

    /** @return the locked key, or null for a lock on a whole keyspace or the end of one */
    byte[] key();

    /** @return the requested lock mode: {@code "X"} (exclusive) or {@code "S"} (shared), or an intention mode */
    String mode();
}
