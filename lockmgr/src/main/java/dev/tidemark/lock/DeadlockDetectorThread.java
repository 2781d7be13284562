package dev.tidemark.lock;

import dev.tidemark.util.Threads;
import java.util.concurrent.locks.LockSupport;

/**
 * The background thread of {@link DeadlockDetection#PERIODIC}: a daemon named {@value #NAME} that wakes every
 * interval and runs a check when some transaction waits. Started by the lock manager's factory, stopped (and
 * joined) by {@link #close()}.
 */
final class DeadlockDetectorThread implements AutoCloseable
{
    static final String NAME = "tidemark-lock-deadlock";

    private final DeadlockDetector detector;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;

    private DeadlockDetectorThread(final DeadlockDetector detector, final long intervalNanos)
    {
        this.detector = detector;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, NAME);
        thread.setDaemon(true);
    }

    static DeadlockDetectorThread start(final DeadlockDetector detector, final long intervalNanos)
    {
        final DeadlockDetectorThread detectorThread = new DeadlockDetectorThread(detector, intervalNanos);
        detectorThread.thread.start();
        return detectorThread;
    }

    private void run()
    {
        while (running)
        {
            LockSupport.parkNanos(this, intervalNanos);
            if (running && detector.hasWaiters())
            {
                detector.detect();
            }
        }
    }

    /** Stops the thread and waits until it has ended. Idempotent. */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(thread);
        Threads.joinUninterruptibly(thread);
    }
}
