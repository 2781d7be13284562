package dev.tidemark.cli;

import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link CrashLoad} child process: started, killed with SIGKILL, and what it acknowledged. */
final class CrashRun
{
    private final Process process;
    private final AtomicLong acknowledged = new AtomicLong();
    private final Thread reader;

    private CrashRun(final Process process)
    {
        this.process = process;
        this.reader = new Thread(this::read, "tidemark-demo-child-output");
        this.reader.setDaemon(true);
    }

    /** Starts the child on {@code directory} (a closed database) with this JVM and class path. */
    static CrashRun start(final Path directory)
    {
        return start(directory, false);
    }

    /** As {@link #start(Path)}; with {@code concurrent} the child adds transfers and growing/shrinking batches. */
    static CrashRun start(final Path directory, final boolean concurrent)
    {
        return start(directory, concurrent, CrashLoad.class.getName(), null);
    }

    /**
     * As {@link #start(Path, boolean)}, with another main class that takes the same arguments, and optionally a crash
     * point ({@code POINT:N}) at which the child halts itself.
     */
    static CrashRun start(final Path directory, final boolean concurrent, final String mainClass,
        final String crashAt)
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final List<String> command = new ArrayList<>(List.of(java));
        if (crashAt != null)
        {
            command.add("-D" + dev.tidemark.CrashPoints.PROPERTY + "=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass, directory.toString()));
        if (concurrent)
        {
            command.add("--concurrent");
        }
        if (crashAt != null)
        {
            command.add("--crash-at=" + crashAt);
        }
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final CrashRun run = new CrashRun(process);
            run.reader.start();
            return run;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start the demo's child JVM: " + ex.getMessage(), ex);
        }
    }

    private void read()
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = lines.readLine()) != null)
            {
                if (line.startsWith("OK "))
                {
                    acknowledged.set(Long.parseLong(line.substring(3).trim()));
                }
            }
        }
        catch (final IOException ex)
        {
            // the pipe breaks when the child is killed; what was read counts
        }
    }

    /**
     * Lets the child load for {@code millis} after its first acknowledged commit, kills it (SIGKILL on Unix:
     * {@link Process#destroyForcibly()}), waits for it to die and reads the rest of its output.
     *
     * @return the last commit the child acknowledged
     */
    long killAfter(final long millis)
    {
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.get() == 0 && process.isAlive() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            if (!process.isAlive() && process.exitValue() != CrashLoad.HALTED_AT_CRASH_POINT)
            {
                throw new IllegalStateException("the demo's child JVM ended on its own with exit code "
                    + process.exitValue() + " before it was killed");
            }
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (process.isAlive() && System.nanoTime() < until)
            {
                Thread.sleep(Math.min(10, millis));
            }
            if (!process.isAlive() && process.exitValue() != CrashLoad.HALTED_AT_CRASH_POINT)
            {
                throw new IllegalStateException("the demo's child JVM ended on its own with exit code "
                    + process.exitValue() + " before it was killed");
            }
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000);
            return acknowledged.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running the demo's child JVM", ex);
        }
    }

    /** @return how the child ended, e.g. "exit status 137 = 128 + 9" */
    String signal()
    {
        final int status = process.exitValue();
        if (status == CrashLoad.HALTED_AT_CRASH_POINT)
        {
            return "halted itself at its armed crash point (exit status " + status + ")";
        }
        return status > 128 ? "exit status " + status + " = 128 + signal " + (status - 128) : "exit status " + status;
    }

    /** What a reopened database holds of the child's work. */
    record Found(long committed, boolean contiguous, long uncommitted)
    {
    }

    /** @return the sum of the balances of the concurrent load's accounts (0 when it never ran) */
    static long bankTotal(final Database db)
    {
        final java.util.Optional<Keyspace> bank = db.findKeyspace(CrashLoad.BANK);
        if (bank.isEmpty())
        {
            return 0;
        }
        long total = 0;
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(bank.get(), null, null))
        {
            while (cursor.next())
            {
                total += CrashLoad.number(cursor.value());
            }
            txn.commit();
        }
        return total;
    }

    /** @return batches of the concurrent load found only in part (must be none: a batch is one transaction) */
    static List<String> partialBatches(final Database db)
    {
        final List<String> partial = new ArrayList<>();
        final java.util.Optional<Keyspace> batches = db.findKeyspace(CrashLoad.BATCHES);
        if (batches.isEmpty())
        {
            return partial;
        }
        final java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(batches.get(), null, null))
        {
            while (cursor.next())
            {
                final String key = new String(cursor.key(), StandardCharsets.UTF_8);
                counts.merge(key.substring(0, key.lastIndexOf('-')), 1, Integer::sum);
            }
            txn.commit();
        }
        counts.forEach((batch, count) ->
        {
            if (count != CrashLoad.BATCH)
            {
                partial.add(batch + " has " + count + " of " + CrashLoad.BATCH + " keys");
            }
        });
        return partial;
    }

    static Found inspect(final Database db)
    {
        final Keyspace keyspace = db.findKeyspace(CrashLoad.KEYSPACE).orElseThrow(() ->
            new IllegalStateException("the keyspace " + CrashLoad.KEYSPACE + " is missing after recovery"));
        long committed = 0;
        boolean contiguous = true;
        long uncommitted = 0;
        try (Transaction txn = db.begin(); Cursor cursor = txn.scan(keyspace, null, null))
        {
            while (cursor.next())
            {
                final String key = new String(cursor.key(), StandardCharsets.UTF_8);
                if (key.startsWith("commit-"))
                {
                    committed++;
                    contiguous &= Long.parseLong(key.substring("commit-".length())) == committed;
                }
                else
                {
                    uncommitted++;
                }
            }
            txn.commit();
        }
        return new Found(committed, contiguous, uncommitted);
    }
}
