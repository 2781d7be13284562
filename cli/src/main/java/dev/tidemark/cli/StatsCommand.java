package dev.tidemark.cli;

import dev.tidemark.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tidemark stats}: prints the database's statistics. */
@Command(name = "stats", header = "Print the database's statistics.",
    description = "Prints the database's statistics: keyspaces, pages, cache, log position. Transaction counters "
        + "count from when a database is opened, so this command, which opens it, shows its own transactions only.")
final class StatsCommand implements Callable<Integer>
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
        try (Database db = database.openExisting())
        {
            Reports.stats(spec.commandLine().getOut(), db);
        }
        return 0;
    }
}
