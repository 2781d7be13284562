package dev.tidemark.cli;

import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tidemark scan}: prints a range of keys and values in key order. */
@Command(name = "scan", header = "Print a range of keys and values in key order.",
    description = {"Prints the entries of a keyspace in key order (unsigned bytes), one per line: the key, a tab, "
        + "the value. Keys and values print as UTF-8 text when printable, else as 0x and hex digits.",
        "All of it is read from one consistent snapshot."})
final class ScanCommand implements Callable<Integer>
{
    @Mixin
    HelpOption help;

    @Mixin
    DatabaseDir database;

    @Mixin
    KeyspaceName keyspace;

    @Mixin
    Encoding encoding;

    @Option(names = "--from", paramLabel = "KEY", description = "Start at this key (included). Default: the first.")
    String from;

    @Option(names = "--to", paramLabel = "KEY", description = "Stop before this key (excluded). Default: the end.")
    String to;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N entries.")
    Integer limit;

    @Option(names = "--reverse", description = "Print in descending key order (the range stays [--from, --to)).")
    boolean reverse;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (limit != null && limit < 1)
        {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        final byte[] fromKey = from == null ? null : encoding.readKey(from, "--from");
        final byte[] toKey = to == null ? null : encoding.readKey(to, "--to");
        final PrintWriter out = spec.commandLine().getOut();
        try (Database db = database.openExisting())
        {
            final Keyspace ks = keyspace.existing(db);
            try (Transaction txn = db.begin(GetCommand.READ_ONLY);
                Cursor cursor = reverse ? txn.scanDescending(ks, fromKey, toKey) : txn.scan(ks, fromKey, toKey))
            {
                final long max = limit == null ? Long.MAX_VALUE : limit;
                for (long printed = 0; printed < max && cursor.next(); printed++)
                {
                    out.println(encoding.render(cursor.key()) + "\t" + encoding.render(cursor.value()));
                }
            }
        }
        out.flush();
        return 0;
    }
}
