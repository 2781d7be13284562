package dev.tidemark.mvcc;

/** How a pinned page is latched: many readers, or one writer. */
public enum LatchMode
{
    /** Read the page; other SHARED holders may read at the same time. */
    SHARED,
    /** Read and change the page; nobody else holds its latch. */
    EXCLUSIVE
}
