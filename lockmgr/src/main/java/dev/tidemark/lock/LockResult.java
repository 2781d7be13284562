package dev.tidemark.lock;

/**
 * Outcome of a lock request or of a wait. Expected outcomes are values, not exceptions: the engine turns
 * {@link #TIMEOUT} into {@code LockTimeoutException} and {@link #DEADLOCK} into {@code DeadlockException}.
 */
public enum LockResult
{
    /** The lock is held in (at least) the requested mode. */
    GRANTED,
    /** The request is queued; only {@link LockManager#request} returns this. */
    WAITING,
    /** The wait reached its timeout, or a zero-timeout acquire would have had to wait; nothing was granted. */
    TIMEOUT,
    /** The transaction was chosen as the victim of a deadlock; it should roll back and release its locks. */
    DEADLOCK,
    /** The wait was cancelled through {@link LockManager#cancel}, {@link LockManager#releaseAll} or close. */
    CANCELLED,
    /** The waiting thread was interrupted; its interrupt status is set again on return. */
    INTERRUPTED
}
