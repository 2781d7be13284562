package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.DatabaseStats;
import dev.tidemark.mvcc.VerifyReport;
import java.io.PrintWriter;
import java.util.Locale;

/** How the statistics and the verification report of a database print. */
final class Reports
{
    private Reports()
    {
    }

    static void stats(final PrintWriter out, final Database db)
    {
        final DatabaseStats stats = db.stats();
        final String names = String.join(", ", db.keyspaceNames());
        line(out, "directory", db.directory().toString());
        line(out, "keyspaces", count(stats.keyspaces()) + (names.isEmpty() ? "" : " (" + names + ")"));
        line(out, "data file", count(stats.pages()) + " pages, " + count(stats.freePages()) + " free");
        line(out, "page cache", count(stats.cachePages()) + " pages");
        line(out, "durable LSN", count(stats.durableLsn()));
        out.println("transactions since this open:");
        line(out, "  committed", count(stats.committed()));
        line(out, "  rolled back", count(stats.rolledBack()) + " (aborts included)");
        line(out, "  serialization failures", count(stats.serializationFailures()));
        line(out, "  deadlocks", count(stats.deadlocks()));
        line(out, "  lock timeouts", count(stats.lockTimeouts()));
        line(out, "  active now", count(stats.activeTransactions()));
        out.flush();
    }

    static void verify(final PrintWriter out, final VerifyReport report)
    {
        if (report.isValid())
        {
            out.println("valid: no problems found");
        }
        else
        {
            out.println("INVALID: " + count(report.problems().size()) + " problems found");
            report.problems().forEach(problem -> out.println("  " + problem));
        }
        line(out, "B+trees", count(report.trees()));
        line(out, "tree pages", count(report.treePages()));
        line(out, "overflow pages", count(report.overflowPages()));
        line(out, "free pages", count(report.freePages()));
        line(out, "entries", count(report.entries()));
        line(out, "versions", count(report.versions()));
        out.flush();
    }

    /** @return {@code n} with thousands separators: 10,000 */
    static String count(final long n)
    {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static void line(final PrintWriter out, final String label, final String value)
    {
        out.printf(Locale.ROOT, "%-26s %s%n", label, value);
    }
}
