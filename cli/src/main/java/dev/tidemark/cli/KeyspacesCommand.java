package dev.tidemark.cli;

import dev.tidemark.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tidemark keyspaces}: lists the keyspaces. */
@Command(name = "keyspaces", header = "List the keyspaces.",
    description = "Lists the keyspaces of the database, one name per line, sorted.")
final class KeyspacesCommand implements Callable<Integer>
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
            db.keyspaceNames().forEach(spec.commandLine().getOut()::println);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
