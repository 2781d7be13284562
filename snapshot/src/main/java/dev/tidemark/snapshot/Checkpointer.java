package dev.tidemark.snapshot;

import dev.tidemark.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpointer, thread {@value #THREAD_NAME}: checkpoints a database that changed since its last checkpoint
 * once an interval passed or some volume of log was written since (the database's {@code checkpointInterval} and
 * {@code checkpointLogBytes} options), so that the log it keeps (and a restart reads) stays short. It looks ten times a second. A failed
 * checkpoint is logged and tried again an interval later; after the log failed for good it stops.
 */
public final class Checkpointer implements Runnable
{
    public static final String THREAD_NAME = "tidemark-checkpointer";
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Target db;
    private final long intervalNanos;
    private final long logBytes;
    private volatile boolean stopped;
    private Thread thread;

    /** The database a checkpointer serves. */
    public interface Target
    {
        /** Takes a checkpoint; may throw. */
        void checkpoint();

        /** @return where the last checkpoint ended */
        CheckpointMark lastCheckpoint();

        /** @return the database's log */
        WriteAheadLog wal();

        /** @return whether the database stopped for good (no checkpoint can succeed any more) */
        boolean isStopped();

        /** @return the database directory, for log messages */
        Path directory();
    }

    /**
     * @param interval a checkpoint at least this often while the database changes; zero for none by time
     * @param logBytes a checkpoint once this much log was written since the last; zero for none by volume
     */
    public Checkpointer(final Target db, final Duration interval, final long logBytes)
    {
        this.db = db;
        this.intervalNanos = interval.toNanos();
        this.logBytes = logBytes;
    }

    /** Starts the thread, unless both triggers are zero. */
    public void start()
    {
        if (intervalNanos == 0 && logBytes == 0)
        {
            return;
        }
        thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run()
    {
        long lastAttempt = System.nanoTime();
        while (!stopped)
        {
            LockSupport.parkNanos(this, POLL_NANOS);
            if (stopped)
            {
                return;
            }
            final CheckpointMark last = db.lastCheckpoint();
            if (db.wal().lastAppendedLsn() <= last.lsn())
            {
                continue;
            }
            final long now = System.nanoTime();
            final boolean byTime = intervalNanos > 0 && now - Math.max(last.nanos(), lastAttempt) >= intervalNanos;
            final boolean byVolume = logBytes > 0 && db.wal().writtenPosition() - last.position() >= logBytes
                && now - lastAttempt >= POLL_NANOS * 10;
            if (!byTime && !byVolume)
            {
                continue;
            }
            lastAttempt = now;
            try
            {
                db.checkpoint();
            }
            catch (final RuntimeException ex)
            {
                if (stopped)
                {
                    return;
                }
                if (db.wal().failure() != null || db.isStopped())
                {
                    LOG.error("checkpoints stopped: the database at {} failed", db.directory(), ex);
                    return;
                }
                LOG.warn("a checkpoint of {} failed; it is tried again", db.directory(), ex);
            }
        }
    }

    /** Stops the thread and waits for a checkpoint under way to end. */
    public void stop()
    {
        stopped = true;
        final Thread running = thread;
        if (running != null)
        {
            LockSupport.unpark(running);
            try
            {
                running.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
