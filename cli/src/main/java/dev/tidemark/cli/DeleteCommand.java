package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidemark delete}: removes one key in one transaction. */
@Command(name = "delete", header = "Delete a key.",
    description = "Deletes KEY in one committed transaction. Deleting an absent key changes nothing and succeeds.")
final class DeleteCommand implements Callable<Integer>
{
    @Mixin
    HelpOption help;

    @Mixin
    DatabaseDir database;

    @Mixin
    KeyspaceName keyspace;

    @Mixin
    Encoding encoding;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final byte[] keyBytes = encoding.readKey(key, "KEY");
        try (Database db = database.openExisting())
        {
            final Keyspace ks = keyspace.existing(db);
            final boolean deleted = db.inTransaction(IsolationLevel.SNAPSHOT, txn -> txn.delete(ks, keyBytes));
            spec.commandLine().getOut().println(deleted
                ? "deleted " + Bytes.quote(keyBytes) + " from keyspace '" + ks.name() + "'"
                : "there was no key " + Bytes.quote(keyBytes) + " in keyspace '" + ks.name() + "'; nothing deleted");
        }
        return 0;
    }
}
