package dev.tidemark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** String shorthands for keys and values in transaction tests. */
final class Kv
{
    private Kv()
    {
    }

    static byte[] b(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static String get(final Transaction txn, final Keyspace ks, final String key)
    {
        return text(txn.get(ks, b(key)));
    }

    static void put(final Transaction txn, final Keyspace ks, final String key, final String value)
    {
        txn.put(ks, b(key), b(value));
    }

    /** @return the entries {@code txn} sees in {@code [from, to)}, in key order */
    static Map<String, String> scan(final Transaction txn, final Keyspace ks, final String from, final String to)
    {
        final Map<String, String> entries = new LinkedHashMap<>();
        try (Cursor cursor = txn.scan(ks, from == null ? null : b(from), to == null ? null : b(to)))
        {
            while (cursor.next())
            {
                entries.put(text(cursor.key()), text(cursor.value()));
            }
        }
        return entries;
    }

    static List<String> keys(final Transaction txn, final Keyspace ks, final String from, final String to)
    {
        return new ArrayList<>(scan(txn, ks, from, to).keySet());
    }

    /** Commits {@code keysAndValues} (key, value, key, value, …) in one transaction. */
    static void seed(final Database db, final Keyspace ks, final String... keysAndValues)
    {
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT))
        {
            for (int i = 0; i < keysAndValues.length; i += 2)
            {
                put(txn, ks, keysAndValues[i], keysAndValues[i + 1]);
            }
            txn.commit();
        }
    }

    /** @return the latest committed value of {@code key}, read in a new transaction */
    static String committed(final Database db, final Keyspace ks, final String key)
    {
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT))
        {
            return get(txn, ks, key);
        }
    }

    /** @return every committed entry of {@code ks}, read in a new transaction */
    static Map<String, String> committedEntries(final Database db, final Keyspace ks)
    {
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT))
        {
            return scan(txn, ks, null, null);
        }
    }

    /** @return every committed entry of {@code ks} as raw bytes (what {@code KvHistory.check} takes) */
    static Map<byte[], byte[]> committedBytes(final Database db, final Keyspace ks)
    {
        final Map<byte[], byte[]> entries = new HashMap<>();
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT); Cursor cursor = txn.scan(ks, null, null))
        {
            while (cursor.next())
            {
                entries.put(cursor.key(), cursor.value());
            }
        }
        return entries;
    }
}
