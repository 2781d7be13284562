package dev.tidemark.testkit;

import dev.tidemark.Cursor;
import dev.tidemark.Durability;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Savepoint;
import dev.tidemark.Transaction;
import dev.tidemark.testkit.history.KvHistory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction of the database that notes what it writes for the {@link Recorder}: the writes are kept in order
 * (a {@code rollbackTo} drops those after the savepoint) and handed to the history when commit is asked for, just
 * before the database's commit runs.
 */
final class RecordedTransaction implements Transaction
{
    private final Recorder recorder;
    private final Transaction delegate;
    private final Durability durability;
    /** The writes in order, each with its sequence number: history key, value (null for a delete). */
    private final List<Write> writes = new ArrayList<>();
    /** Savepoint to the sequence number of the last write before it. */
    private final Map<Savepoint, Long> marks = new IdentityHashMap<>();
    private long sequence;

    RecordedTransaction(final Recorder recorder, final Transaction delegate, final Durability durability)
    {
        this.recorder = recorder;
        this.delegate = delegate;
        this.durability = durability;
    }

    @Override
    public long id()
    {
        return delegate.id();
    }

    @Override
    public IsolationLevel isolation()
    {
        return delegate.isolation();
    }

    @Override
    public boolean isActive()
    {
        return delegate.isActive();
    }

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key)
    {
        return delegate.get(keyspace, key);
    }

    @Override
    public byte[] getForUpdate(final Keyspace keyspace, final byte[] key)
    {
        return delegate.getForUpdate(keyspace, key);
    }

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value)
    {
        delegate.put(keyspace, key, value);
        writes.add(new Write(++sequence, recorder.historyKey(keyspace.name(), key), value.clone()));
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key)
    {
        final boolean deleted = delegate.delete(keyspace, key);
        writes.add(new Write(++sequence, recorder.historyKey(keyspace.name(), key), null));
        return deleted;
    }

    @Override
    public Cursor scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive)
    {
        return delegate.scan(keyspace, fromInclusive, toExclusive);
    }

    @Override
    public Cursor scanDescending(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive)
    {
        return delegate.scanDescending(keyspace, fromInclusive, toExclusive);
    }

    @Override
    public Savepoint savepoint()
    {
        final Savepoint savepoint = delegate.savepoint();
        marks.put(savepoint, sequence);
        return savepoint;
    }

    @Override
    public void rollbackTo(final Savepoint savepoint)
    {
        delegate.rollbackTo(savepoint);
        // like the engine: every write after the savepoint goes, whatever was rolled back in between
        final Long mark = marks.get(savepoint);
        if (mark != null)
        {
            writes.removeIf(write -> write.sequence > mark);
        }
    }

    @Override
    public void commit()
    {
        final KvHistory.Txn record = recorder.beginRecord();
        for (final Write write : writes)
        {
            if (write.value == null)
            {
                record.delete(write.key);
            }
            else
            {
                record.put(write.key, write.value);
            }
        }
        record.committing();
        // a commit that throws stays in doubt: whole or nothing after the crash
        delegate.commit();
        if (durability == Durability.SYNC)
        {
            record.acknowledged();
        }
        else
        {
            // not promised durable, but every commit called from here on orders after it (O4)
            record.returned();
        }
    }

    @Override
    public void rollback()
    {
        delegate.rollback();
        writes.clear();
    }

    @Override
    public void close()
    {
        delegate.close();
    }

    private record Write(long sequence, byte[] key, byte[] value)
    {
    }
}
