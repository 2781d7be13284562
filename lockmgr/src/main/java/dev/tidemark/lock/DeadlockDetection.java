package dev.tidemark.lock;

/** When the lock manager looks for deadlocks; see {@link LockManagerOptions.Builder#deadlockDetection}. */
public enum DeadlockDetection
{
    /**
     * A daemon thread named {@code tidemark-lock-deadlock} checks every
     * {@link LockManagerOptions#deadlockIntervalNanos() interval} while any transaction waits, so a cycle is
     * resolved at most one interval after it forms. The default.
     */
    PERIODIC,
    /**
     * The thread whose request starts a wait checks at once, before it parks. Every cycle closes when some wait
     * begins, so cycles are resolved immediately, at the price of a check (all stripes locked) per wait.
     */
    ON_WAIT,
    /** No thread and no automatic check: the embedder calls {@link LockManager#detectDeadlocks()} itself. */
    MANUAL
}
