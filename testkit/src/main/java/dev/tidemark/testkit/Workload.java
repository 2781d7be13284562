package dev.tidemark.testkit;

import dev.tidemark.Database;

/**
 * The work a {@link CrashTest} crashes: it runs on a {@link Database} opened on the simulated file system, and
 * begins the transactions whose outcome the test checks through {@code recorder} (a transaction begun on
 * {@code db} directly is not recorded, and whatever it writes to recorded keys shows up as a violation).
 *
 * <p>The crash makes the file system fail every operation from that moment on, so a workload sees an exception
 * from whatever call it was making; it should let it propagate. Write a distinct value in each put, so that a
 * recovered value names the one transaction that wrote it.
 */
@FunctionalInterface
public interface Workload
{
    void run(Database db, Recorder recorder) throws Exception;
}
