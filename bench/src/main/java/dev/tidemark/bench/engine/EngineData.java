package dev.tidemark.bench.engine;

import dev.tidemark.Database;
import dev.tidemark.Durability;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.TransactionOptions;
import dev.tidemark.bench.kv.KvBenchData;
import org.agrona.concurrent.UnsafeBuffer;

/** Loads the {@link KvBenchData} set into a keyspace of a database, as the engine benchmarks start from. */
final class EngineData
{
    private static final int BATCH = 1_000;
    private static final TransactionOptions UNFORCED = TransactionOptions.builder().durability(Durability.NONE)
        .build();

    private EngineData()
    {
    }

    /**
     * Puts the first {@code keys} entries into {@code keyspace}, {@value #BATCH} per transaction committed without
     * forcing, then checkpoints: every page written, the log forced and retired.
     */
    static void load(final Database db, final Keyspace keyspace, final int keys)
    {
        final byte[] key = new byte[KvBenchData.KEY_BYTES];
        final UnsafeBuffer keyView = new UnsafeBuffer(key);
        final byte[] value = new byte[KvBenchData.VALUE_BYTES];
        final UnsafeBuffer valueView = new UnsafeBuffer(value);
        for (int from = 0; from < keys; from += BATCH)
        {
            try (Transaction txn = db.begin(UNFORCED))
            {
                for (int i = from; i < Math.min(keys, from + BATCH); i++)
                {
                    KvBenchData.key(i, keyView);
                    KvBenchData.value(i, 0, valueView);
                    txn.put(keyspace, key, value);
                }
                txn.commit();
            }
        }
        db.checkpoint();
    }
}
