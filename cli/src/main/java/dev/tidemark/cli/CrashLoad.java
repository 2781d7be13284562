package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of the demo's crash: opens the database, leaves one transaction running with writes of its
 * own, then commits one key per transaction (SYNC, the default) and prints {@code OK n} after commit {@code n}
 * returned, with a checkpoint every 500 commits, until it is killed.
 */
public final class CrashLoad
{
    static final String KEYSPACE = "crash-demo";
    static final int UNCOMMITTED = 100;

    private CrashLoad()
    {
    }

    static byte[] committedKey(final long n)
    {
        return String.format("commit-%08d", n).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] uncommittedKey(final long n)
    {
        return String.format("running-%08d", n).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Database db = Database.open(Path.of(args[0]));
        final Keyspace keyspace = db.keyspace(KEYSPACE);
        final Transaction running = db.begin();
        for (int i = 0; i < UNCOMMITTED; i++)
        {
            running.put(keyspace, uncommittedKey(i), ("never committed " + i).getBytes(StandardCharsets.UTF_8));
        }
        out.println("READY");
        for (long n = 1; ; n++)
        {
            try (Transaction txn = db.begin())
            {
                txn.put(keyspace, committedKey(n), ("acknowledged " + n).getBytes(StandardCharsets.UTF_8));
                txn.commit();
            }
            out.println("OK " + n);
            if (n % 500 == 0)
            {
                db.checkpoint();
            }
        }
    }
}
