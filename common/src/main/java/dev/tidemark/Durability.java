package dev.tidemark;

/** When a write must be on stable storage relative to the call that made it. */
public enum Durability
{
    /** The call returns only after the write is durable (forced to stable storage). */
    SYNC,
    /** The call returns at once; the write is durable within the configured interval (default 10 ms). */
    ASYNC,
    /** Never forced on its own account; durable only when a later force covers it. For bulk loads and tests. */
    NONE
}
