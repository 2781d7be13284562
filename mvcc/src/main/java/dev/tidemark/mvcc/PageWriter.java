package dev.tidemark.mvcc;

import dev.tidemark.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background page writer: thread {@code tidemark-page-writer} (daemon) writes batches of unpinned dirty
 * pages, in eviction order, whenever more than three quarters of the frames are dirty or a thread that needed a
 * frame found only dirty ones, until at most half are dirty. Evictions then find clean frames and seldom write,
 * while a database whose pages fit in half the cache is written only by checkpoints: under updates its pages are
 * dirtied again within milliseconds, and writing them early only multiplied page writes.
 *
 * <p>Threading: {@link #start()} and {@link #close()} are called by the store's owner; the loop runs on its own
 * thread. A failed write stops the loop; the pool keeps the failure and reports it to every later change.
 */
final class PageWriter implements AutoCloseable
{
    static final String THREAD_NAME = "tidemark-page-writer";
    private static final Logger LOG = LoggerFactory.getLogger(PageWriter.class);

    private final BufferPool pool;
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean running = true;

    PageWriter(final BufferPool pool, final long intervalNanos)
    {
        this.pool = pool;
        this.intervalNanos = intervalNanos;
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                if (pool.awaitCleaningNeeded(intervalNanos) && running && !pool.cleanOnce())
                {
                    pool.pauseWriter(intervalNanos); // every dirty page is pinned or latched: look again later
                }
            }
        }
        catch (final InterruptedException ex)
        {
            LOG.warn("{} interrupted; pages are now written only by evictions and checkpoints", THREAD_NAME);
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            LOG.error("{} stopped: {}", THREAD_NAME, ex.toString(), ex);
        }
    }

    /** Stops the thread and waits for it; a batch in progress completes first. */
    @Override
    public void close()
    {
        running = false;
        pool.stopWriter();
        Threads.joinUninterruptibly(thread);
    }
}
