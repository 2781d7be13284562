package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.mvcc.VerifyReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tidemark verify}: runs the full structural check of the page store. */
@Command(name = "verify", header = "Check every page of the data file.",
    description = "Checks every page of the database: checksums, B+tree order and links, version chains, free "
        + "pages. Prints what it checked and every problem found; the exit status is 1 when there is one.")
final class VerifyCommand implements Callable<Integer>
{
    @Mixin
    HelpOption help;

    @Mixin
    DatabaseDir database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final VerifyReport report;
        try (Database db = database.openExisting())
        {
            report = db.verify();
        }
        Reports.verify(spec.commandLine().getOut(), report);
        return report.isValid() ? 0 : 1;
    }
}
