package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.Keyspace;
import dev.tidemark.TidemarkException;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --keyspace} option: the keyspace a command reads or writes. */
final class KeyspaceName
{
    @Option(names = "--keyspace", required = true, paramLabel = "KS", description = "The keyspace.")
    String name;

    /** @throws TidemarkException naming the keyspaces there are when {@code database} has none of this name */
    Keyspace existing(final Database database)
    {
        return database.findKeyspace(name).orElseThrow(() ->
        {
            final List<String> names = database.keyspaceNames();
            return new TidemarkException("there is no keyspace '" + name + "' in the database at "
                + database.directory() + (names.isEmpty() ? "; it has no keyspaces yet ('tidemark put' creates one)"
                : "; its keyspaces are: " + String.join(", ", names)));
        });
    }

    /** @return the keyspace, created durably when absent */
    Keyspace openOrCreate(final Database database)
    {
        return database.keyspace(name);
    }
}
