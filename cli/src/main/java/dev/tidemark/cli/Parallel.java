package dev.tidemark.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** Runs the same work on a few named threads and waits for all of them. */
final class Parallel
{
    private Parallel()
    {
    }

    /**
     * Runs {@code work.accept(i)} on thread {@code name-i} for each i below {@code threads} and returns when all
     * have ended. The first failure is rethrown, later ones attached to it as suppressed.
     */
    static void run(final int threads, final String name, final IntConsumer work)
    {
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final List<Thread> started = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++)
        {
            final int index = i;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    work.accept(index);
                }
                catch (final RuntimeException | Error ex)
                {
                    final RuntimeException wrapped = ex instanceof RuntimeException
                        ? (RuntimeException)ex : new IllegalStateException(ex);
                    if (!failure.compareAndSet(null, wrapped))
                    {
                        failure.get().addSuppressed(ex);
                    }
                }
            }, name + "-" + i);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        for (final Thread thread : started)
        {
            joinUninterruptibly(thread);
        }
        if (failure.get() != null)
        {
            throw failure.get();
        }
    }

    private static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
