package dev.tidemark;

import dev.tidemark.lock.LockManager;
import dev.tidemark.lock.LockMode;
import dev.tidemark.lock.LockOwner;
import dev.tidemark.lock.LockResult;
import dev.tidemark.lock.LockTarget;
import dev.tidemark.mvcc.BTree;
import dev.tidemark.mvcc.CommitTable;
import dev.tidemark.mvcc.Snapshot;
import dev.tidemark.mvcc.TreeCursor;
import dev.tidemark.mvcc.WriteConflictException;
import dev.tidemark.mvcc.WriteTxn;
import dev.tidemark.snapshot.TxnRecords;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's {@link Transaction}. Reads use the transaction's snapshot (or, under READ_COMMITTED, the latest
 * committed state at each operation) and never lock; writes take the row's exclusive lock, check for a newer
 * committed version (first updater wins, under SNAPSHOT and SERIALIZABLE) and push a version into the tree.
 * Commit writes a commit record through the log's ring (forced as the durability asks), publishes the commit
 * timestamp, then releases the locks. Rollback undoes through the log with compensation records.
 *
 * <p>Not thread-safe: one thread at a time, as {@link Transaction} says. Other threads only read the fields the
 * transaction manager keeps here (order, read timestamp, commit state), which this thread writes.
 */
final class Txn implements Transaction
{
    private static final Snapshot LATEST_READ_ONLY = Snapshot.latest(CommitTable.SYSTEM_TRANSACTION);
    private static final VarHandle READ_TIMESTAMP;
    private static final VarHandle COMMIT_TIMESTAMP;
    private static final VarHandle ID;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            READ_TIMESTAMP = lookup.findVarHandle(Txn.class, "readTimestamp", long.class);
            COMMIT_TIMESTAMP = lookup.findVarHandle(Txn.class, "commitTimestamp", long.class);
            ID = lookup.findVarHandle(Txn.class, "id", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private enum State
    {
        ACTIVE,
        COMMITTED,
        ROLLED_BACK,
        ABORTED
    }

    private final Database db;
    private final IsolationLevel isolation;
    private final Durability durability;
    /** A reference, not nanoseconds: it keeps a read-only transaction at 120 bytes (converted on a lock wait). */
    private final Duration lockTimeout;
    private final boolean readOnly;
    /** 0 until given: at begin, or for a read-only transaction that SSI does not track, when first asked for. */
    private long id;
    /**
     * Its age, for the horizon and the keyspace drop (TxnManager's): its id, or for a read-only transaction begun
     * without one, an id given out before it began.
     */
    long order;
    int slot;
    @SuppressWarnings("unused")
    private volatile long readTimestamp;
    private Snapshot snapshot;
    private Snapshot latest;
    private WriteTxn writeTxn;
    private LockOwner owner;
    private LockTarget target;
    private Ssi.State ssi;
    private List<TxnCursor> cursors;
    private State state = State.ACTIVE;
    private String endReason;
    private long firstLsn;
    /** The commit timestamp once published; NOT_COMMITTED before, and for good when rolled back (TxnManager's). */
    volatile long commitTimestamp;
    /** A writer that ended (TxnManager's). */
    volatile boolean ended;
    /** A rolled-back writer: an id above the order of every transaction running when it ended (TxnManager's). */
    long abortedBefore;

    Txn(final Database db, final IsolationLevel isolation, final Durability durability, final Duration lockTimeout,
        final boolean readOnly)
    {
        this.db = db;
        this.isolation = isolation;
        this.durability = durability;
        this.lockTimeout = lockTimeout;
        this.readOnly = readOnly;
        // plain stores: the transaction reaches other threads only through a CAS (its slot, the writer table), so
        // the fence a volatile initializer costs buys nothing
        READ_TIMESTAMP.set(this, TxnManager.PENDING);
        COMMIT_TIMESTAMP.set(this, CommitTable.NOT_COMMITTED);
    }

    /**
     * @return whether the transaction takes its id at begin: every one that may write, and the serializable ones
     * (SSI tracks them by id); the others are never named in the trees, the locks or the log
     */
    boolean needsIdAtBegin()
    {
        return !readOnly || isolation == IsolationLevel.SERIALIZABLE;
    }

    void assignId(final long id)
    {
        this.id = id;
        this.order = id;
    }

    /** Sets the read timestamp, once, after the transaction registered (TxnManager's). */
    void setReadTimestamp(final long timestamp)
    {
        READ_TIMESTAMP.setRelease(this, timestamp);
    }

    /** @return the read timestamp, or {@link TxnManager#PENDING} until it is set (TxnManager's) */
    long readTimestampOrPending()
    {
        return (long)READ_TIMESTAMP.getAcquire(this);
    }

    /** Called once registered, with its read timestamp: fixes the snapshot. */
    void started(final long readTs)
    {
        // a read-only transaction has no versions of its own to see: it shares the snapshot object of its timestamp
        snapshot = readOnly ? db.txns().sharedSnapshot(readTs) : Snapshot.at(readTs, id);
        if (isolation == IsolationLevel.SERIALIZABLE)
        {
            ssi = db.ssi().begin(id, readTs);
        }
    }

    boolean wrote()
    {
        return writeTxn != null;
    }

    /** @return a lower bound of the LSN of this transaction's first record, 0 before it became a writer */
    long firstLsn()
    {
        return firstLsn;
    }

    @Override
    public long id()
    {
        final long given = (long)ID.getVolatile(this);
        if (given != 0)
        {
            return given;
        }
        // a read-only transaction begun without an id: the first to ask gives it one (a race wastes an id)
        ID.compareAndSet(this, 0L, db.txns().newId());
        return (long)ID.getVolatile(this);
    }

    @Override
    public IsolationLevel isolation()
    {
        return isolation;
    }

    @Override
    public boolean isActive()
    {
        return state == State.ACTIVE;
    }

    // --------------------------------------------------------------------------------------------- reads

    @Override
    public byte[] get(final Keyspace keyspace, final byte[] key)
    {
        final BTree tree = usable(keyspace);
        checkKey(key);
        if (ssi != null)
        {
            db.ssi().readKey(ssi, keyspace.id(), key);
        }
        final byte[] value = tree.get(readSnapshot(), key);
        if (ssi != null)
        {
            noteNewerWriters(tree, key);
        }
        return value;
    }

    @Override
    public byte[] getForUpdate(final Keyspace keyspace, final byte[] key)
    {
        final BTree tree = usable(keyspace);
        checkKey(key);
        requireWritable("lock a key for update");
        lockRow(keyspace, key);
        checkWriteConflict(tree, keyspace, key);
        if (ssi != null)
        {
            db.ssi().readKey(ssi, keyspace.id(), key);
        }
        return tree.get(latestSnapshot(), key);
    }

    private Snapshot readSnapshot()
    {
        return isolation == IsolationLevel.READ_COMMITTED ? latestSnapshot() : snapshot;
    }

    private Snapshot latestSnapshot()
    {
        if (latest == null)
        {
            latest = readOnly ? LATEST_READ_ONLY : Snapshot.latest(id);
        }
        return latest;
    }

    /** Every version of {@code key} newer than the snapshot's is a read-write conflict with its writer. */
    private void noteNewerWriters(final BTree tree, final byte[] key)
    {
        final LongArrayList skipped = ssi.skipped();
        tree.newerWriters(snapshot, key, skipped);
        for (int i = 0; i < skipped.size(); i++)
        {
            final long writer = skipped.getLong(i);
            if (writer > 0 && writer != id && db.txns().commitTimestamp(writer) > snapshot.readTimestamp())
            {
                guard(() -> db.ssi().sawNewerVersion(ssi, writer));
            }
        }
    }

    @Override
    public Cursor scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive)
    {
        return open(keyspace, fromInclusive, toExclusive, false);
    }

    @Override
    public Cursor scanDescending(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive)
    {
        return open(keyspace, fromInclusive, toExclusive, true);
    }

    private Cursor open(final Keyspace keyspace, final byte[] from, final byte[] to, final boolean descending)
    {
        final BTree tree = usable(keyspace);
        if (from != null)
        {
            checkKey(from);
        }
        if (to != null)
        {
            checkKey(to);
        }
        if (ssi != null)
        {
            db.ssi().readRange(ssi, keyspace.id(), from, to);
        }
        final Snapshot view = isolation == IsolationLevel.READ_COMMITTED
            ? Snapshot.at(db.txns().visibleTimestamp(), readOnly ? CommitTable.SYSTEM_TRANSACTION : id) : snapshot;
        final TreeCursor cursor = tree.cursor();
        if (ssi != null)
        {
            final long readTs = view.readTimestamp();
            cursor.observeNewer(writer ->
            {
                if (writer != id && db.txns().commitTimestamp(writer) > readTs)
                {
                    guard(() -> db.ssi().sawNewerVersion(ssi, writer));
                }
            });
        }
        cursor.open(view, from, to, descending);
        final TxnCursor result = new TxnCursor(this, cursor);
        if (cursors == null)
        {
            cursors = new ArrayList<>();
        }
        cursors.add(result);
        return result;
    }

    /** Called by a cursor before each move. */
    void checkCursor()
    {
        requireActive();
        db.requireOpen();
    }

    void cursorClosed(final TxnCursor cursor)
    {
        if (cursors != null)
        {
            cursors.remove(cursor);
        }
    }

    // -------------------------------------------------------------------------------------------- writes

    @Override
    public void put(final Keyspace keyspace, final byte[] key, final byte[] value)
    {
        final BTree tree = usable(keyspace);
        checkKey(key);
        Objects.requireNonNull(value, "value");
        if (value.length > db.options().maxValueLength())
        {
            throw new IllegalArgumentException("value of " + value.length + " bytes; the limit is "
                + db.options().maxValueLength() + " (DatabaseOptions.maxValueLength)");
        }
        requireWritable("put");
        lockRow(keyspace, key);
        becomeWriter();
        try
        {
            guard(() -> tree.put(writeTxn, key, value));
        }
        catch (final WriteConflictException ex)
        {
            conflict(keyspace, key, ex);
        }
        wroteKey(keyspace, key);
    }

    @Override
    public boolean delete(final Keyspace keyspace, final byte[] key)
    {
        final BTree tree = usable(keyspace);
        checkKey(key);
        requireWritable("delete");
        lockRow(keyspace, key);
        if (ssi != null)
        {
            db.ssi().readKey(ssi, keyspace.id(), key);
        }
        final boolean existed = tree.get(readSnapshot(), key) != null;
        becomeWriter();
        final boolean[] wrote = new boolean[1];
        try
        {
            guard(() -> wrote[0] = tree.delete(writeTxn, key));
        }
        catch (final WriteConflictException ex)
        {
            conflict(keyspace, key, ex);
        }
        if (wrote[0])
        {
            wroteKey(keyspace, key);
        }
        return existed;
    }

    private void wroteKey(final Keyspace keyspace, final byte[] key)
    {
        if (ssi != null)
        {
            guard(() -> db.ssi().wrote(ssi, keyspace.id(), key));
        }
    }

    private void becomeWriter()
    {
        if (writeTxn == null)
        {
            writeTxn = new WriteTxn(id);
            // a lower bound of every LSN this transaction will write, visible to a checkpoint (through the writers
            // map) before its first record is appended: the log is kept from here while it runs
            firstLsn = Math.max(1, db.wal().lastAppendedLsn());
            if (isolation != IsolationLevel.READ_COMMITTED)
            {
                // first updater wins, checked by the tree in the descent that writes
                writeTxn.firstUpdaterWins(snapshot.readTimestamp());
            }
            db.txns().becameWriter(this);
        }
    }

    private void conflict(final Keyspace keyspace, final byte[] key, final WriteConflictException ex)
    {
        abort(new SerializationFailureException(id, "transaction " + id + " cannot write key " + Keys.render(key)
            + " of keyspace " + keyspace.name() + ": transaction " + ex.newerWriter() + " committed a newer version "
            + "after this transaction's snapshot (first updater wins); retry"));
    }

    /** The first-updater-wins check of a locking read, which writes nothing. */
    private void checkWriteConflict(final BTree tree, final Keyspace keyspace, final byte[] key)
    {
        if (isolation == IsolationLevel.READ_COMMITTED)
        {
            return;
        }
        final long writer = tree.newestWriter(key);
        if (writer > 0 && writer != id)
        {
            final long committedAt = db.txns().commitTimestamp(writer);
            if (committedAt != CommitTable.NOT_COMMITTED && committedAt > snapshot.readTimestamp())
            {
                abort(new SerializationFailureException(id, "transaction " + id + " cannot write key "
                    + Keys.render(key) + " of keyspace " + keyspace.name() + ": transaction " + writer
                    + " committed a newer version after this transaction's snapshot (first updater wins); retry"));
            }
        }
    }

    private void lockRow(final Keyspace keyspace, final byte[] key)
    {
        if (owner == null)
        {
            owner = db.locks().newOwner(id);
            target = new LockTarget();
        }
        target.row((int)keyspace.id(), key);
        final long lockTimeoutNanos = TimeUnit.NANOSECONDS.convert(lockTimeout); // saturates
        final LockResult result = db.locks().acquire(owner, target, LockMode.X,
            lockTimeoutNanos == 0 ? 0 : Math.min(lockTimeoutNanos, LockManager.NO_TIMEOUT - 1));
        switch (result)
        {
            case GRANTED:
                return;
            case TIMEOUT:
                db.count(Database.LOCK_TIMEOUTS);
                abort(new LockTimeoutException(id, "transaction " + id + " waited longer than its lock timeout of "
                    + lockTimeoutNanos / 1_000_000 + " ms for key " + Keys.render(key) + " of keyspace "
                    + keyspace.name() + "; it was rolled back"));
                return;
            case DEADLOCK:
                db.count(Database.DEADLOCKS);
                abort(new DeadlockException(id, "transaction " + id + " was chosen as the victim of a deadlock "
                    + "while waiting for key " + Keys.render(key) + " of keyspace " + keyspace.name()
                    + "; it was rolled back"));
                return;
            case INTERRUPTED:
                Thread.currentThread().interrupt();
                abort(new TransactionAbortedException(id, "transaction " + id + " was interrupted while waiting "
                    + "for a lock; it was rolled back", false));
                return;
            default:
                abort(new TransactionAbortedException(id, "transaction " + id + " lost its lock request ("
                    + result + "); it was rolled back", true));
        }
    }

    // ----------------------------------------------------------------------------------------- savepoints

    @Override
    public Savepoint savepoint()
    {
        requireActive();
        db.requireOpen();
        return new Savepoint(this, writeTxn == null ? 0 : writeTxn.lastLsn());
    }

    @Override
    public void rollbackTo(final Savepoint savepoint)
    {
        Objects.requireNonNull(savepoint, "savepoint");
        requireActive();
        db.requireOpen();
        if (savepoint.owner() != this)
        {
            throw new IllegalArgumentException(savepoint + " belongs to another transaction than " + id());
        }
        if (writeTxn != null)
        {
            guard(() -> db.store().rollback(writeTxn, savepoint.lsn()));
        }
    }

    // ------------------------------------------------------------------------------------------ endings

    @Override
    public void commit()
    {
        requireActive();
        db.requireOpen();
        closeCursors();
        if (ssi != null)
        {
            guard(() -> db.ssi().beginCommit(ssi));
        }
        long committedAt = 0;
        if (writeTxn != null)
        {
            final UnsafeBuffer record = new UnsafeBuffer(new byte[TxnRecords.LENGTH]);
            TxnRecords.write(record, id, writeTxn.lastLsn(), System.currentTimeMillis());
            try
            {
                db.wal().append(TxnRecords.COMMIT, record, 0, TxnRecords.LENGTH, durability);
            }
            catch (final RuntimeException ex)
            {
                endAfterFailure(ex);
                throw ex;
            }
            committedAt = db.txns().publishCommit(this);
        }
        state = State.COMMITTED;
        if (ssi != null)
        {
            db.ssi().committed(ssi, committedAt == 0 ? db.txns().visibleTimestamp() : committedAt,
                db.txns().pruneHorizon());
        }
        releaseLocks();
        db.txns().endCommitted(this);
    }

    @Override
    public void rollback()
    {
        requireActive();
        end(State.ROLLED_BACK, "it was rolled back");
    }

    @Override
    public void close()
    {
        if (state == State.ACTIVE)
        {
            end(State.ROLLED_BACK, "it was rolled back by close()");
        }
    }

    /** Rolls back at once and rethrows {@code cause}; the transaction is dead from now on. */
    private void abort(final TransactionAbortedException cause)
    {
        if (cause instanceof SerializationFailureException)
        {
            db.count(Database.SERIALIZATION_FAILURES);
        }
        try
        {
            end(State.ABORTED, cause.getMessage());
        }
        catch (final RuntimeException ex)
        {
            cause.addSuppressed(ex);
        }
        throw cause;
    }

    /** Runs a step that may fail with an abort: a {@link TransactionAbortedException} ends the transaction. */
    private void guard(final Runnable step)
    {
        try
        {
            step.run();
        }
        catch (final TransactionAbortedException ex)
        {
            abort(ex);
        }
    }

    private void endAfterFailure(final RuntimeException failure)
    {
        try
        {
            end(State.ABORTED, "its commit failed: " + failure.getMessage());
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    private void end(final State ending, final String reason)
    {
        state = ending;
        endReason = reason;
        closeCursors();
        RuntimeException failure = null;
        try
        {
            if (writeTxn != null && writeTxn.lastLsn() > 0)
            {
                db.store().rollback(writeTxn, 0);
                final UnsafeBuffer record = new UnsafeBuffer(new byte[TxnRecords.LENGTH]);
                TxnRecords.write(record, id, writeTxn.lastLsn(), System.currentTimeMillis());
                db.wal().append(TxnRecords.ABORT, record, 0, TxnRecords.LENGTH, Durability.NONE);
            }
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        if (ssi != null)
        {
            db.ssi().aborted(ssi, db.txns().pruneHorizon());
        }
        if (failure != null)
        {
            // its versions may still be in the trees: it must neither settle (later snapshots would take them for
            // committed) nor leave the checkpoints' transaction table (the log it needs would be retired). The
            // database stops; restart recovery finishes the rollback.
            db.stop(failure);
            releaseLocks();
            throw failure;
        }
        releaseLocks();
        db.txns().endAborted(this);
    }

    private void releaseLocks()
    {
        if (owner != null)
        {
            db.locks().releaseAll(owner);
        }
    }

    private void closeCursors()
    {
        if (cursors != null)
        {
            for (final TxnCursor cursor : new ArrayList<>(cursors))
            {
                cursor.close();
            }
            cursors.clear();
        }
    }

    // ------------------------------------------------------------------------------------------- checks

    private BTree usable(final Keyspace keyspace)
    {
        requireActive();
        db.requireOpen();
        Objects.requireNonNull(keyspace, "keyspace");
        if (keyspace.database() != db)
        {
            throw new IllegalArgumentException(keyspace + " belongs to another database");
        }
        if (keyspace.isDropped())
        {
            throw new IllegalStateException(keyspace + " was dropped");
        }
        if (ssi != null)
        {
            guard(() -> db.ssi().check(ssi));
        }
        return keyspace.tree();
    }

    private void requireActive()
    {
        if (state != State.ACTIVE)
        {
            throw new IllegalStateException("transaction " + id() + " is no longer active: " + (state == State.COMMITTED
                ? "it committed" : endReason));
        }
    }

    private void requireWritable(final String what)
    {
        if (readOnly)
        {
            throw new IllegalStateException("transaction " + id() + " is read-only and cannot " + what);
        }
    }

    private static void checkKey(final byte[] key)
    {
        Objects.requireNonNull(key, "key");
        if (key.length == 0 || key.length > Keys.MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("key of " + key.length + " bytes; keys hold 1 to "
                + Keys.MAX_KEY_LENGTH + " bytes");
        }
    }

    @Override
    public String toString()
    {
        // no id() here: a read-only transaction would take an id for a log line
        final long given = (long)ID.getVolatile(this);
        return "Transaction[" + (given != 0 ? given : "read-only, no id yet") + ", " + isolation + ", " + state + "]";
    }
}
