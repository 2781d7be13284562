package dev.tidemark.snapshot;

import java.util.Map;

/** What a checkpoint reads from the transaction layer. */
public interface TransactionTable
{
    /** @return the next transaction id to be given out */
    long nextTransactionId();

    /** @return the newest published commit timestamp */
    long lastCommitTimestamp();

    /**
     * @return every writer whose commit or abort record is not yet appended, by id, to a lower bound of the LSN of
     * its first record; a writer must be in it before it appends its first record
     */
    Map<Long, Long> activeWriters();
}
