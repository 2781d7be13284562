package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.Keyspace;
import dev.tidemark.TidemarkException;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tidemark get}: prints one value. */
@Command(name = "get", header = "Print the value stored under a key.",
    description = "Prints the value stored under KEY. Fails (exit status 1) when there is none.")
final class GetCommand implements Callable<Integer>
{
    @Mixin
    HelpOption help;

    static final TransactionOptions READ_ONLY = TransactionOptions.builder().readOnly(true).build();

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
            final byte[] value;
            try (Transaction txn = db.begin(READ_ONLY))
            {
                value = txn.get(ks, keyBytes);
                txn.commit();
            }
            if (value == null)
            {
                throw new TidemarkException("there is no key " + Bytes.quote(keyBytes) + " in keyspace '" + ks.name()
                    + "'");
            }
            spec.commandLine().getOut().println(encoding.print(value));
        }
        return 0;
    }
}
