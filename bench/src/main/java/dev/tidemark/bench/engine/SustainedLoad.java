package dev.tidemark.bench.engine;

import dev.tidemark.Database;
import dev.tidemark.Durability;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionAbortedException;
import dev.tidemark.TransactionOptions;
import dev.tidemark.bench.kv.KvBenchData;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The process {@link RestartUnderLoadBenchmark} kills: opens the database at {@code args[0]} with the default
 * options (checkpoints every 30 s or 64 MiB of log) and loads it until it is killed. {@value #COMMITTERS} threads
 * commit one random key each (SYNC, the default), and one thread commits batches of {@value #BATCH} random keys
 * without forcing, which is most of the log volume. Keys are {@link KvBenchData} keys of a
 * {@value #KEY_SPACE}-key space, so the tree grows for the first minutes and later puts overwrite. It prints
 * {@code loading} once the database is open.
 */
public final class SustainedLoad
{
    static final int COMMITTERS = 4;
    static final int BATCH = 100;
    static final int KEY_SPACE = 2_000_000;
    private static final TransactionOptions UNFORCED = TransactionOptions.builder().durability(Durability.NONE)
        .build();

    private SustainedLoad()
    {
    }

    public static void main(final String[] args)
    {
        final Database db = Database.open(Path.of(args[0]));
        final Keyspace keyspace = db.keyspace("load");
        for (int t = 0; t < COMMITTERS; t++)
        {
            final long seed = t + System.nanoTime();
            start("tidemark-load-commit-" + t, () -> load(db, keyspace, seed, 1, null));
        }
        final long seed = System.nanoTime();
        start("tidemark-load-batch", () -> load(db, keyspace, seed, BATCH, UNFORCED));
        System.out.println("loading");
        System.out.flush();
    }

    private static void start(final String name, final Runnable work)
    {
        final Thread thread = new Thread(work, name);
        thread.start();
    }

    private static void load(final Database db, final Keyspace keyspace, final long seed, final int perTxn,
        final TransactionOptions options)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        final UnsafeBuffer keyView = new UnsafeBuffer(key);
        final byte[] value = new byte[KvBenchData.VALUE_BYTES];
        final UnsafeBuffer valueView = new UnsafeBuffer(value);
        for (long generation = 1; ; generation++)
        {
            try (Transaction txn = options == null ? db.begin() : db.begin(options))
            {
                for (int i = 0; i < perTxn; i++)
                {
                    final int index = random.nextInt(KEY_SPACE);
                    KvBenchData.key(index, keyView);
                    KvBenchData.value(index, generation, valueView);
                    txn.put(keyspace, key, value);
                }
                txn.commit();
            }
            catch (final TransactionAbortedException retried)
            {
                // two loaders wrote the same key: the next transaction goes on
            }
        }
    }
}
