package dev.tidemark.util;

/** Small helpers for the background threads that components own. */
public final class Threads
{
    private Threads()
    {
    }

    /**
     * Waits until {@code thread} has ended, even when interrupted meanwhile; the caller's interrupt status is
     * restored afterwards. Used by {@code close()} methods, which must not return while their thread still runs.
     */
    public static void joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
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
