/**
 * The lock manager of Tidemark: {@link dev.tidemark.lock.LockManager} and its small public vocabulary
 * ({@link dev.tidemark.lock.LockOwner}, {@link dev.tidemark.lock.LockTarget}, {@link dev.tidemark.lock.LockMode},
 * {@link dev.tidemark.lock.LockResult}, {@link dev.tidemark.lock.LockWait}). Everything else in the package is
 * package-private.
 *
 * <p>Call order inside the module: {@code LockManager → LockStripe → HeadTable → LockHead → LockNode}; beside it
 * {@code Waits} (parking, timeouts, abandoning a wait), {@code LockWaitView}, and
 * {@code DeadlockDetectorThread → DeadlockDetector → WaitsForGraph}. Only the deadlock detector holds more than one
 * stripe lock, and it takes them in index order.
 */
package dev.tidemark.lock;
