package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.DatabaseOptions;
import dev.tidemark.mvcc.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tidemark demo}: a short end-to-end tour of the engine on a fresh database. */
@Command(name = "demo", header = "A tour of Tidemark in a few seconds, on a fresh database.",
    description = {"A tour of Tidemark in a few seconds: creates a database, loads sample data with concurrent "
        + "transactions, shows what each isolation level allows and prevents on two-transaction examples, prints "
        + "statistics, verifies the data file, closes and reopens the database, then kills a child process "
        + "loading it with SIGKILL and shows what recovery brings back.",
        "The directory is deleted and created again on every run."})
final class DemoCommand implements Callable<Integer>
{
    @Mixin
    HelpOption help;

    static final int TRANSFERS_PER_THREAD = 50;
    private static final long EXPECTED_TOTAL = (long)SampleBank.ACCOUNTS * SampleBank.OPENING_BALANCE;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "tidemark-data/demo",
        description = "Where to create the demo database. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private boolean failed;

    @Override
    public Integer call()
    {
        out = spec.commandLine().getOut();
        final Path directory = DemoDirectory.recreate(dir);
        out.println("Tidemark demo: a fresh database in " + directory);
        final Database db = create(directory);
        try
        {
            tour(db);
        }
        catch (final RuntimeException ex)
        {
            try
            {
                db.close();
            }
            catch (final RuntimeException closing)
            {
                ex.addSuppressed(closing);
            }
            throw ex;
        }
        section(7, "Close and reopen");
        final long start = System.nanoTime();
        db.close();
        out.println("db.close() wrote a checkpoint and stopped every thread it started, in " + millis(start) + ".");
        reopen(directory);
        crash(directory);
        section(9, "Your turn");
        out.println("The database stays in " + dir + ". Look at it with the other commands, e.g.:");
        out.println("  ./tidemark keyspaces --dir " + dir);
        out.println("  ./tidemark scan --dir " + dir + " --keyspace accounts --limit 5");
        out.println("  ./tidemark get --dir " + dir + " --keyspace accounts acct-00042");
        out.println("  ./tidemark put --dir " + dir + " --keyspace accounts acct-10000 250");
        out.println("  ./tidemark verify --dir " + dir);
        out.flush();
        return failed ? 1 : 0;
    }

    private void tour(final Database db)
    {
        final SampleBank bank = load(db);
        transfer(bank);
        isolation(db);
        section(5, "Statistics (db.stats())");
        Reports.stats(out, db);
        section(6, "Verify the data file (db.verify())");
        final VerifyReport report = db.verify();
        Reports.verify(out, report);
        failed |= !report.isValid();
    }

    private Database create(final Path directory)
    {
        section(1, "Create a database");
        final long start = System.nanoTime();
        final Database db = Database.open(directory);
        out.println("Database.open created it in " + millis(start) + ": " + files(directory));
        final DatabaseOptions defaults = DatabaseOptions.defaults();
        out.println("Defaults: " + defaults.durability() + " commits (durable when commit() returns), "
            + defaults.isolation() + " isolation, lock timeout " + defaults.lockTimeout().toSeconds() + " s.");
        return db;
    }

    private SampleBank load(final Database db)
    {
        section(2, "Load sample data with concurrent transactions");
        final long start = System.nanoTime();
        final SampleBank bank = new SampleBank(db);
        final int transactions = bank.load();
        out.println(SampleBank.THREADS + " threads committed " + transactions + " transactions of "
            + SampleBank.BATCH + " puts (db.inTransaction) in " + millis(start) + ":");
        out.println(Reports.count(SampleBank.ACCOUNTS) + " accounts acct-00000 .. acct-09999 holding "
            + SampleBank.OPENING_BALANCE + " each, in keyspace '" + SampleBank.KEYSPACE + "'.");
        checkTotals(bank, "Read back in one snapshot");
        return bank;
    }

    private void transfer(final SampleBank bank)
    {
        section(3, "Concurrent transfers");
        final long start = System.nanoTime();
        bank.transfer(TRANSFERS_PER_THREAD);
        out.println(SampleBank.THREADS + " threads made " + SampleBank.THREADS * TRANSFERS_PER_THREAD
            + " SERIALIZABLE transfers of 1 to 20 between random accounts in " + millis(start) + ";");
        out.println("db.inTransaction retries a transfer that conflicts with another.");
        checkTotals(bank, "Money is neither made nor lost");
    }

    private void checkTotals(final SampleBank bank, final String claim)
    {
        final SampleBank.Totals totals = bank.totals();
        final boolean right = totals.accounts() == SampleBank.ACCOUNTS && totals.balance() == EXPECTED_TOTAL;
        out.println(claim + ": " + Reports.count(totals.accounts()) + " accounts, total "
            + Reports.count(totals.balance()) + (right ? "" : "  WRONG: expected " + Reports.count(EXPECTED_TOTAL)));
        failed |= !right;
    }

    private void isolation(final Database db)
    {
        section(4, "Isolation levels, two transactions at a time");
        out.println("Each example plays one schedule at each level: T1 and T2 are open at the same time and take");
        out.println("turns, one step at a time. A cell shows the value read, 'ok' for a write, 'committed', or");
        out.println("ABORTED: the engine threw the exception named below, rolled the transaction back, and its");
        out.println("later steps ('-') do not run. An aborted transaction can simply be run again.");
        final IsolationTour tour = new IsolationTour(db, out);
        tour.show(ReadSkew::new);
        tour.show(LostUpdate::new);
        tour.show(WriteSkew::new);
        tour.printSummary();
    }

    private void reopen(final Path directory)
    {
        final long start = System.nanoTime();
        try (Database db = Database.open(directory))
        {
            out.println("Database.open opened it again in " + millis(start) + ".");
            out.println("Keyspaces: " + String.join(", ", db.keyspaceNames()));
            final SampleBank bank = new SampleBank(db);
            checkTotals(bank, "Still there");
            out.println("First accounts: " + String.join(", ", bank.first(3)));
        }
    }

    /** Loads in a child process, kills it with SIGKILL, reopens: recovery, and every acknowledged commit there. */
    private void crash(final Path directory)
    {
        section(8, "Crash and recover");
        out.println("A child JVM opens the database, leaves one transaction running with " + CrashLoad.UNCOMMITTED
            + " writes, and commits one key per transaction (SYNC), printing OK n after commit n returned...");
        out.flush();
        final CrashRun run = CrashRun.start(directory);
        final long acknowledged = run.killAfter(1_500);
        out.println("...after about 1.5 s it was killed with SIGKILL (" + run.signal() + "), mid-load. "
            + "Acknowledged commits: " + String.format(Locale.ROOT, "%,d", acknowledged) + ".");
        final long start = System.nanoTime();
        try (Database db = Database.open(directory))
        {
            out.println("Database.open recovered it in " + millis(start) + ":");
            out.println("  " + db.recoveryReport().map(Object::toString).orElse("(no recovery was needed)"));
            final CrashRun.Found found = CrashRun.inspect(db);
            out.println("Committed keys found: " + String.format(Locale.ROOT, "%,d", found.committed())
                + (found.contiguous() ? ", 1 to " + found.committed() + " without a gap" : ", WITH GAPS")
                + "; keys of the transaction that was running: " + found.uncommitted() + ".");
            final boolean right = found.contiguous() && found.committed() >= acknowledged && found.uncommitted() == 0;
            out.println(right ? "Every acknowledged commit survived the kill; nothing of the unfinished transaction did."
                : "WRONG: expected at least " + acknowledged + " commits without a gap and no uncommitted key.");
            failed |= !right;
            final VerifyReport report = db.verify();
            out.println("db.verify(): " + (report.isValid() ? "valid" : report.problems()));
            failed |= !report.isValid();
        }
    }

    private void section(final int number, final String title)
    {
        final String heading = "== " + number + ". " + title + " ";
        out.println();
        out.println(heading + "=".repeat(Math.max(3, 80 - heading.length())));
        out.flush();
    }

    private static String files(final Path directory)
    {
        try (Stream<Path> list = Files.list(directory))
        {
            return list.map(path -> path.getFileName() + (Files.isDirectory(path) ? "/" : "")).sorted()
                .collect(Collectors.joining(", "));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String millis(final long startNanos)
    {
        return String.format(Locale.ROOT, "%,d ms", (System.nanoTime() - startNanos) / 1_000_000);
    }
}
