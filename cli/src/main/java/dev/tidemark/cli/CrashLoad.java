package dev.tidemark.cli;

import dev.tidemark.Database;
import dev.tidemark.DatabaseOptions;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionAbortedException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of the demo's crash (and of the kill-cycle test): opens the database, leaves one transaction
 * running with writes of its own, then commits one key per transaction (SYNC, the default) and prints
 * {@code OK n} after commit {@code n} returned, with a checkpoint every 500 commits, until it is killed. With
 * {@code --concurrent} two more threads load it meanwhile: SERIALIZABLE transfers between
 * {@value #ACCOUNTS} accounts (the total never changes), and batches of {@value #BATCH} 1 KiB keys inserted by
 * one transaction and deleted by a later one (the tree grows and shrinks; a batch is all there or not at all).
 */
public final class CrashLoad
{
    static final String KEYSPACE = "crash-demo";
    static final String BANK = "crash-bank";
    static final String BATCHES = "crash-batches";
    static final int UNCOMMITTED = 100;
    static final int ACCOUNTS = 50;
    static final long OPENING_BALANCE = 1000;
    static final int BATCH = 200;

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

    static byte[] account(final int a)
    {
        return String.format("acct-%03d", a).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] batchKey(final long batch, final int i)
    {
        return String.format("batch-%08d-%04d", batch, i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] number(final long value)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long number(final byte[] bytes)
    {
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }

    /** The exit status of a child that halted itself at an armed crash point. */
    static final int HALTED_AT_CRASH_POINT = 86;

    public static void main(final String[] args)
    {
        run(Path.of(args[0]), DatabaseOptions.builder().build(), java.util.Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * Opens the database in {@code directory} with {@code options} and loads it until the process is killed. Flags:
     * {@code --concurrent} adds the concurrent load; {@code --crash-at=POINT:N} halts the JVM (as SIGKILL would:
     * no shutdown hooks, nothing more written) the N-th time the engine reaches crash point POINT, which needs
     * {@code -Dtidemark.crashPoints=true}.
     */
    static void run(final Path directory, final DatabaseOptions options, final String... flags)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean concurrent = false;
        for (final String flag : flags)
        {
            if (flag.equals("--concurrent"))
            {
                concurrent = true;
            }
            else if (flag.startsWith("--crash-at="))
            {
                final String[] parts = flag.substring("--crash-at=".length()).split(":");
                final dev.tidemark.CrashPoint point = dev.tidemark.CrashPoint.valueOf(parts[0]);
                dev.tidemark.CrashPoints.arm(point, Integer.parseInt(parts[1]), () ->
                {
                    out.println("HALT " + point);
                    Runtime.getRuntime().halt(HALTED_AT_CRASH_POINT);
                });
            }
            else
            {
                throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        final Database db = Database.open(directory, options);
        final Keyspace keyspace = db.keyspace(KEYSPACE);
        long next = 1;
        try (Transaction txn = db.begin())
        {
            // continue after what an earlier (killed) run left
            try (dev.tidemark.Cursor last = txn.scanDescending(keyspace, committedKey(0), committedKey(99_999_999)))
            {
                if (last.next())
                {
                    next = Long.parseLong(new String(last.key(), StandardCharsets.UTF_8).substring(7)) + 1;
                }
            }
            txn.commit();
        }
        if (concurrent)
        {
            startConcurrentLoad(db);
        }
        final Transaction running = db.begin();
        for (int i = 0; i < UNCOMMITTED; i++)
        {
            running.put(keyspace, uncommittedKey(i), ("never committed " + i).getBytes(StandardCharsets.UTF_8));
        }
        out.println("READY");
        for (long n = next; ; n++)
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

    private static void startConcurrentLoad(final Database db)
    {
        final Keyspace bank = db.keyspace(BANK);
        if (db.inTransaction(IsolationLevel.SERIALIZABLE, txn -> txn.get(bank, account(0)) == null))
        {
            db.inTransaction(IsolationLevel.SERIALIZABLE, txn ->
            {
                for (int a = 0; a < ACCOUNTS; a++)
                {
                    txn.put(bank, account(a), number(OPENING_BALANCE));
                }
                return null;
            });
        }
        final Thread transfers = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom();
            while (true)
            {
                final int from = random.nextInt(ACCOUNTS);
                final int to = random.nextInt(ACCOUNTS);
                final long amount = 1 + random.nextInt(20);
                try (Transaction txn = db.begin(IsolationLevel.SERIALIZABLE))
                {
                    final long a = number(txn.get(bank, account(from)));
                    txn.put(bank, account(from), number(a - amount));
                    final long b = number(txn.get(bank, account(to)));
                    txn.put(bank, account(to), number(b + amount));
                    txn.commit();
                }
                catch (final TransactionAbortedException retry)
                {
                    // a conflict with another transfer: the next one
                }
            }
        }, "crash-load-transfers");
        final Keyspace batches = db.keyspace(BATCHES);
        final Thread growShrink = new Thread(() ->
        {
            final byte[] value = new byte[1024];
            long batch = System.nanoTime();
            while (true)
            {
                batch++;
                try (Transaction txn = db.begin())
                {
                    for (int i = 0; i < BATCH; i++)
                    {
                        txn.put(batches, batchKey(batch, i), value);
                    }
                    txn.commit();
                }
                try (Transaction txn = db.begin())
                {
                    for (int i = 0; i < BATCH; i++)
                    {
                        txn.delete(batches, batchKey(batch, i));
                    }
                    txn.commit();
                }
            }
        }, "crash-load-batches");
        transfers.setDaemon(true);
        growShrink.setDaemon(true);
        transfers.start();
        growShrink.start();
    }
}
