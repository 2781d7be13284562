package dev.tidemark;

import dev.tidemark.history.History;
import dev.tidemark.history.Op;
import dev.tidemark.history.TxnRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs list-append transactions against a database and records them in a {@link History}. Each key of the
 * {@code data} keyspace holds its event list (8-byte big-endian elements), or nothing after a delete; the same key
 * of the {@code hist} keyspace always holds the event list, so its final value is the key's version order. An
 * append or delete reads the list with {@code getForUpdate} (so it is atomic at every level), adds its element and
 * writes both keys; reads and scans look at {@code data} only.
 *
 * <p>Thread-safe: each thread runs its own transactions; elements come from one shared counter.
 */
final class ListAppendWorkload
{
    /** One planned operation; a retry runs the same plan with new elements. */
    static final class Planned
    {
        final Op.Kind kind;
        final String key;
        final String from;
        final String to;

        Planned(final Op.Kind kind, final String key, final String from, final String to)
        {
            this.kind = kind;
            this.key = key;
            this.from = from;
            this.to = to;
        }

        @Override
        public String toString()
        {
            return kind == Op.Kind.SCAN ? "scan[" + from + "," + to + ")" : kind.name().toLowerCase() + "(" + key + ")";
        }
    }

    private final Database db;
    private final IsolationLevel level;
    private final List<String> keys;
    private final History history;
    private final Keyspace data;
    private final Keyspace hist;
    private final AtomicLong elements = new AtomicLong();

    ListAppendWorkload(final Database db, final String name, final IsolationLevel level, final List<String> keys,
        final History history)
    {
        this.db = db;
        this.level = level;
        this.keys = List.copyOf(keys);
        this.history = history;
        this.data = db.keyspace(name + "-data");
        this.hist = db.keyspace(name + "-hist");
    }

    static List<String> keys(final int count)
    {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            keys.add("k" + i);
        }
        return keys;
    }

    /** @return a random plan of 1 to {@code maxOps} operations: reads, appends, deletes and scans */
    static List<Planned> randomPlan(final Random random, final List<String> keys, final int maxOps)
    {
        final int count = 1 + random.nextInt(maxOps);
        final List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int dice = random.nextInt(100);
            final String key = keys.get(random.nextInt(keys.size()));
            if (dice < 35)
            {
                plan.add(new Planned(Op.Kind.READ, key, null, null));
            }
            else if (dice < 65)
            {
                plan.add(new Planned(Op.Kind.APPEND, key, null, null));
            }
            else if (dice < 75)
            {
                plan.add(new Planned(Op.Kind.DELETE, key, null, null));
            }
            else
            {
                final int a = random.nextInt(keys.size() + 1);
                final int b = random.nextInt(keys.size() + 1);
                final String from = Math.min(a, b) == 0 ? null : keys.get(Math.min(a, b) - 1);
                final String to = Math.max(a, b) == keys.size() ? null : keys.get(Math.max(a, b));
                plan.add(new Planned(Op.Kind.SCAN, null, from, to));
            }
        }
        return plan;
    }

    /**
     * Runs {@code plan} once as {@code process}.
     *
     * @return whether it committed; false when the engine aborted it (retryable)
     * @throws TransactionAbortedException when the engine aborted it and said it is not retryable
     */
    boolean attempt(final int process, final List<Planned> plan)
    {
        final TxnRecord record = history.invoke(process);
        try (Transaction txn = db.begin(level))
        {
            for (final Planned planned : plan)
            {
                run(txn, record, planned);
            }
            record.commitStarted(System.nanoTime());
            txn.commit();
            record.ok(System.nanoTime());
            return true;
        }
        catch (final TransactionAbortedException ex)
        {
            record.fail(ex.getClass().getSimpleName() + ": " + ex.getMessage(), System.nanoTime());
            if (!ex.isRetryable())
            {
                throw ex;
            }
            return false;
        }
        catch (final RuntimeException | Error ex)
        {
            record.fail("unexpected " + ex, System.nanoTime());
            throw ex;
        }
    }

    private void run(final Transaction txn, final TxnRecord record, final Planned planned)
    {
        switch (planned.kind)
        {
            case READ:
            {
                final Op op = record.add(Op.read(planned.key)).invoked(System.nanoTime());
                final List<Long> seen = decode(txn.get(data, bytes(planned.key)));
                op.completed(seen, System.nanoTime());
                break;
            }
            case APPEND:
            case DELETE:
            {
                final long id = elements.incrementAndGet();
                final boolean append = planned.kind == Op.Kind.APPEND;
                final Op op = record.add(append ? Op.append(planned.key, id) : Op.delete(planned.key, -id))
                    .invoked(System.nanoTime());
                final List<Long> before = decode(txn.getForUpdate(hist, bytes(planned.key)));
                final List<Long> after = new ArrayList<>(before == null ? List.of() : before);
                after.add(op.element());
                txn.put(hist, bytes(planned.key), encode(after));
                if (append)
                {
                    txn.put(data, bytes(planned.key), encode(after));
                }
                else
                {
                    txn.delete(data, bytes(planned.key));
                }
                op.completed(before == null ? List.of() : before, System.nanoTime());
                break;
            }
            default:
                scan(txn, record, planned);
        }
    }

    private void scan(final Transaction txn, final TxnRecord record, final Planned planned)
    {
        final Op op = record.add(Op.scan(planned.from, planned.to)).invoked(System.nanoTime());
        final Map<String, List<Long>> found = new LinkedHashMap<>();
        String previous = null;
        try (Cursor cursor = txn.scan(data, planned.from == null ? null : bytes(planned.from),
            planned.to == null ? null : bytes(planned.to)))
        {
            while (cursor.next())
            {
                final String key = new String(cursor.key(), StandardCharsets.UTF_8);
                if (previous != null && key.compareTo(previous) <= 0 || !op.covers(key))
                {
                    throw new AssertionError("scan " + planned + " returned " + key + " after " + previous
                        + " (out of order or out of range)");
                }
                previous = key;
                found.put(key, decode(cursor.value()));
            }
        }
        op.completedScan(found, System.nanoTime());
    }

    /** @return each key's version order (its hist list), read in one transaction once the workload is over */
    Map<String, List<Long>> finalEvents()
    {
        return readAll(hist);
    }

    /** @return each key's final value in the data keyspace */
    Map<String, List<Long>> finalData()
    {
        return readAll(data);
    }

    private Map<String, List<Long>> readAll(final Keyspace keyspace)
    {
        final Map<String, List<Long>> all = new HashMap<>();
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT))
        {
            for (final String key : keys)
            {
                all.put(key, decode(txn.get(keyspace, bytes(key))));
            }
            txn.commit();
        }
        return all;
    }

    static byte[] bytes(final String key)
    {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(final List<Long> list)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(list.size() * Long.BYTES);
        list.forEach(buffer::putLong);
        return buffer.array();
    }

    static List<Long> decode(final byte[] value)
    {
        if (value == null)
        {
            return null;
        }
        if (value.length % Long.BYTES != 0)
        {
            throw new AssertionError("a list value of " + value.length + " bytes is not a whole number of elements");
        }
        final ByteBuffer buffer = ByteBuffer.wrap(value);
        final List<Long> list = new ArrayList<>();
        while (buffer.hasRemaining())
        {
            list.add(buffer.getLong());
        }
        return Collections.unmodifiableList(list);
    }
}
