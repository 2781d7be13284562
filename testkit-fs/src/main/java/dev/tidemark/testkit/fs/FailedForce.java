package dev.tidemark.testkit.fs;

/** What an injected failure of {@link OpKind#FORCE} or {@link OpKind#MAP_FORCE} does to the pending data. */
public enum FailedForce
{
    /**
     * Linux semantics since the 2018 "fsyncgate": the pages whose writeback failed are marked clean, so reads
     * still see the data but a crash loses it, and a later force that succeeds does not write it either. An
     * engine that retries a failed force and then reports the data durable is caught. The default.
     */
    DROP_PENDING,
    /** The pending data stays pending: a later successful force makes it durable. */
    KEEP_PENDING
}
