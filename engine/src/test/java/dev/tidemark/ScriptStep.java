package dev.tidemark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One operation of a scripted transaction, runnable against the engine and against an in-memory model (a sorted
 * map) so that a serial replay can predict what it returns. Results: a value or null for reads, whether the key
 * existed for a delete, the {@code key=value} entries for a scan, null for a put.
 */
final class ScriptStep
{
    enum Kind
    {
        GET,
        GET_FOR_UPDATE,
        PUT,
        DELETE,
        SCAN
    }

    final Kind kind;
    final String key;
    final String value;
    final String from;
    final String to;

    private ScriptStep(final Kind kind, final String key, final String value, final String from, final String to)
    {
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.from = from;
        this.to = to;
    }

    static ScriptStep get(final String key)
    {
        return new ScriptStep(Kind.GET, key, null, null, null);
    }

    static ScriptStep getForUpdate(final String key)
    {
        return new ScriptStep(Kind.GET_FOR_UPDATE, key, null, null, null);
    }

    static ScriptStep put(final String key, final String value)
    {
        return new ScriptStep(Kind.PUT, key, value, null, null);
    }

    static ScriptStep delete(final String key)
    {
        return new ScriptStep(Kind.DELETE, key, null, null, null);
    }

    /** A scan of {@code [from, to)}; a null bound is open. */
    static ScriptStep scan(final String from, final String to)
    {
        return new ScriptStep(Kind.SCAN, null, null, from, to);
    }

    Object run(final Transaction txn, final Keyspace keyspace)
    {
        switch (kind)
        {
            case GET:
                return text(txn.get(keyspace, bytes(key)));
            case GET_FOR_UPDATE:
                return text(txn.getForUpdate(keyspace, bytes(key)));
            case PUT:
                txn.put(keyspace, bytes(key), bytes(value));
                return null;
            case DELETE:
                return txn.delete(keyspace, bytes(key));
            default:
                final List<String> entries = new ArrayList<>();
                try (Cursor cursor = txn.scan(keyspace, from == null ? null : bytes(from), to == null ? null
                    : bytes(to)))
                {
                    while (cursor.next())
                    {
                        entries.add(text(cursor.key()) + "=" + text(cursor.value()));
                    }
                }
                return entries;
        }
    }

    Object apply(final NavigableMap<String, String> model)
    {
        switch (kind)
        {
            case GET:
            case GET_FOR_UPDATE:
                return model.get(key);
            case PUT:
                model.put(key, value);
                return null;
            case DELETE:
                return model.remove(key) != null;
            default:
                final List<String> entries = new ArrayList<>();
                final NavigableMap<String, String> range = from == null && to == null ? model
                    : from == null ? model.headMap(to, false)
                    : to == null ? model.tailMap(from, true) : model.subMap(from, true, to, false);
                for (final Map.Entry<String, String> entry : range.entrySet())
                {
                    entries.add(entry.getKey() + "=" + entry.getValue());
                }
                return entries;
        }
    }

    static NavigableMap<String, String> copy(final Map<String, String> state)
    {
        return new TreeMap<>(state);
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        switch (kind)
        {
            case GET:
                return "r(" + key + ")";
            case GET_FOR_UPDATE:
                return "rx(" + key + ")";
            case PUT:
                return "w(" + key + "=" + value + ")";
            case DELETE:
                return "d(" + key + ")";
            default:
                return "scan[" + (from == null ? "" : from) + "," + (to == null ? "" : to) + ")";
        }
    }
}
