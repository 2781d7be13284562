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

/** {@code tidemark put}: stores one value in one transaction. */
@Command(name = "put", header = "Store a value under a key.",
    description = "Stores VALUE under KEY in one committed transaction. Creates the database and the keyspace when "
        + "they do not exist.")
final class PutCommand implements Callable<Integer>
{
    @Mixin
    HelpOption help;

    @Mixin
    DatabaseDir database;

    @Mixin
    KeyspaceName keyspace;

    @Mixin
    Encoding encoding;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key: 1 to 2048 bytes.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value.")
    String value;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final byte[] keyBytes = encoding.readKey(key, "KEY");
        final byte[] valueBytes = encoding.read(value, "VALUE");
        try (Database db = database.openOrCreate())
        {
            final boolean newKeyspace = db.findKeyspace(keyspace.name).isEmpty();
            final Keyspace ks = keyspace.openOrCreate(db);
            db.inTransaction(IsolationLevel.SNAPSHOT, txn ->
            {
                txn.put(ks, keyBytes, valueBytes);
                return null;
            });
            spec.commandLine().getOut().println("stored " + valueBytes.length + " bytes under " + Bytes.quote(keyBytes)
                + " in " + (newKeyspace ? "new " : "") + "keyspace '" + ks.name() + "'");
        }
        return 0;
    }
}
