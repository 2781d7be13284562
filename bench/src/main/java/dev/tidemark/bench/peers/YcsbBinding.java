package dev.tidemark.bench.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;

/**
 * The YCSB {@code DB} binding of every engine: one per client thread, over one shared {@link PeerStore}. A record
 * is stored under its key's UTF-8 bytes as its fields in order, each as a 2-byte name length, the name, a 4-byte
 * value length and the value. Every operation is one durable transaction of the store: {@code read} is a get,
 * {@code update} and {@code insert} a put of the whole record (the workloads write all fields), {@code scan} an
 * ascending scan from the start key. {@code delete} is not used by workloads A to F and answers
 * {@code NOT_IMPLEMENTED}.
 *
 * <p>In loading mode the binding collects inserts and writes them in durable batches of {@link PeerData#BATCH},
 * each engine's batched write path, and writes the rest when YCSB cleans it up.
 */
final class YcsbBinding extends DB
{
    private final PeerStore store;
    private final Counters counters;
    private final boolean loading;
    private final byte[][] batchKeys;
    private final byte[][] batchValues;
    private int batched;

    /** Operations done by every binding of one run. */
    static final class Counters
    {
        final LongAdder operations = new LongAdder();
        final LongAdder failures = new LongAdder();
        final AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();

        Status failed(final RuntimeException failure)
        {
            failures.increment();
            firstFailure.compareAndSet(null, failure);
            return Status.ERROR;
        }
    }

    YcsbBinding(final PeerStore store, final Counters counters, final boolean loading)
    {
        this.store = store;
        this.counters = counters;
        this.loading = loading;
        this.batchKeys = loading ? new byte[PeerData.BATCH][] : null;
        this.batchValues = loading ? new byte[PeerData.BATCH][] : null;
    }

    @Override
    public Status read(
        final String table, final String key, final Set<String> fields, final Map<String, ByteIterator> result)
    {
        try
        {
            final byte[] record = store.get(key.getBytes(StandardCharsets.UTF_8));
            if (record == null)
            {
                return failed(Status.NOT_FOUND);
            }
            decode(record, fields, result);
            return done();
        }
        catch (final RuntimeException ex)
        {
            return counters.failed(ex);
        }
    }

    @Override
    public Status scan(
        final String table,
        final String startkey,
        final int recordcount,
        final Set<String> fields,
        final Vector<HashMap<String, ByteIterator>> result)
    {
        try
        {
            store.scan(startkey.getBytes(StandardCharsets.UTF_8), recordcount, (key, value) ->
            {
                final HashMap<String, ByteIterator> row = new HashMap<>();
                decode(value, fields, row);
                result.add(row);
            });
            return done();
        }
        catch (final RuntimeException ex)
        {
            return counters.failed(ex);
        }
    }

    @Override
    public Status update(final String table, final String key, final Map<String, ByteIterator> values)
    {
        try
        {
            store.put(key.getBytes(StandardCharsets.UTF_8), encode(values));
            return done();
        }
        catch (final RuntimeException ex)
        {
            return counters.failed(ex);
        }
    }

    @Override
    public Status insert(final String table, final String key, final Map<String, ByteIterator> values)
    {
        try
        {
            final byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            final byte[] record = encode(values);
            if (!loading)
            {
                store.put(keyBytes, record);
                return done();
            }
            batchKeys[batched] = keyBytes;
            batchValues[batched] = record;
            if (++batched == PeerData.BATCH)
            {
                flush();
            }
            return done();
        }
        catch (final RuntimeException ex)
        {
            return counters.failed(ex);
        }
    }

    @Override
    public Status delete(final String table, final String key)
    {
        return failed(Status.NOT_IMPLEMENTED);
    }

    @Override
    public void cleanup()
    {
        if (loading)
        {
            try
            {
                flush();
            }
            catch (final RuntimeException ex)
            {
                counters.failed(ex);
            }
        }
    }

    private void flush()
    {
        if (batched > 0)
        {
            store.writeBatch(batchKeys, batchValues, batched);
            batched = 0;
        }
    }

    private Status done()
    {
        counters.operations.increment();
        return Status.OK;
    }

    private Status failed(final Status status)
    {
        counters.failures.increment();
        counters.firstFailure.compareAndSet(null, new IllegalStateException("a YCSB operation answered " + status));
        return status;
    }

    static byte[] encode(final Map<String, ByteIterator> values)
    {
        int size = 0;
        final byte[][] names = new byte[values.size()][];
        final byte[][] fields = new byte[values.size()][];
        int i = 0;
        for (final Map.Entry<String, ByteIterator> entry : values.entrySet())
        {
            names[i] = entry.getKey().getBytes(StandardCharsets.UTF_8);
            fields[i] = entry.getValue().toArray();
            size += Short.BYTES + names[i].length + Integer.BYTES + fields[i].length;
            i++;
        }
        final ByteBuffer record = ByteBuffer.allocate(size);
        for (int f = 0; f < names.length; f++)
        {
            record.putShort((short)names[f].length).put(names[f]).putInt(fields[f].length).put(fields[f]);
        }
        return record.array();
    }

    static void decode(final byte[] record, final Set<String> fields, final Map<String, ByteIterator> result)
    {
        final ByteBuffer in = ByteBuffer.wrap(record);
        while (in.hasRemaining())
        {
            final byte[] name = new byte[in.getShort()];
            in.get(name);
            final int length = in.getInt();
            final String field = new String(name, StandardCharsets.UTF_8);
            if (fields == null || fields.contains(field))
            {
                result.put(field, new ByteArrayByteIterator(record, in.position(), length));
            }
            in.position(in.position() + length);
        }
    }
}
