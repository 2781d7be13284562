package dev.tidemark;

import dev.tidemark.io.FileIo;
import dev.tidemark.lock.LockManager;
import dev.tidemark.lock.LockManagerOptions;
import dev.tidemark.lock.LockResource;
import dev.tidemark.lock.ResourceKind;
import dev.tidemark.mvcc.BTree;
import dev.tidemark.mvcc.MvccStore;
import dev.tidemark.mvcc.MvccStoreOptions;
import dev.tidemark.mvcc.PageStoreOptions;
import dev.tidemark.recovery.Recovery;
import dev.tidemark.recovery.RecoveryReport;
import dev.tidemark.snapshot.Checkpoint;
import dev.tidemark.snapshot.CheckpointMark;
import dev.tidemark.snapshot.CheckpointTables;
import dev.tidemark.snapshot.Checkpointer;
import dev.tidemark.snapshot.MasterRecord;
import dev.tidemark.snapshot.TransactionTable;
import dev.tidemark.wal.WalOptions;
import dev.tidemark.wal.WriteAheadLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tidemark database: one directory holding the write-ahead log ({@code wal/}), the page file
 * ({@code pages.tm}), the master record ({@code MASTER}) and the lock file ({@code LOCK}). The only root object:
 * everything else is reached from it, and {@link #close()} stops every thread it started.
 *
 * <p>Thread-safe; each {@link Transaction} belongs to one thread at a time.
 */
public final class Database implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Indexes of the stats counters; commits and rollbacks are counted per transaction slot by TxnManager. */
    static final int COMMITTED = 0;
    static final int ROLLED_BACK = 1;
    static final int SERIALIZATION_FAILURES = 2;
    static final int DEADLOCKS = 3;
    static final int LOCK_TIMEOUTS = 4;
    private static final int MAX_ATTEMPTS = 10;
    private static final int TRANSACTION_SLOTS = 1024;
    private static final String PAGES_FILE = "pages.tm";
    private static final String WAL_DIRECTORY = "wal";
    /** Present from the start of a creation until its first master record is durable. */
    static final String CREATING_FILE = "CREATING";

    private final Path directory;
    private final DatabaseOptions options;
    private final Closeable directoryLock;
    private final WriteAheadLog wal;
    private final TxnManager txns;
    private final Ssi ssi = new Ssi();
    private final MvccStore store;
    private final LockManager locks;
    private final TransactionTable transactionTable;
    private final ConcurrentHashMap<String, Keyspace> keyspaces = new ConcurrentHashMap<>();
    private final AtomicLongArray counters = new AtomicLongArray(5);
    private final Object checkpointLock = new Object();
    private final RecoveryReport recovery;
    private final Checkpointer checkpointer;
    private volatile CheckpointMark lastCheckpoint = new CheckpointMark(0, 0, System.nanoTime());
    private final Object keyspaceLock = new Object();
    private volatile boolean closed;
    /** Set by {@link #stop}: the failure the database cannot go on from. */
    private volatile RuntimeException stoppedBy;
    private final Object stopLock = new Object();

    private Database(final Path directory, final DatabaseOptions options, final Closeable directoryLock,
        final WriteAheadLog wal, final TxnManager txns, final MvccStore store, final LockManager locks,
        final RecoveryReport recovery)
    {
        this.recovery = recovery;
        this.directory = directory;
        this.options = options;
        this.directoryLock = directoryLock;
        this.wal = wal;
        this.txns = txns;
        this.store = store;
        this.locks = locks;
        this.transactionTable = new TransactionTable()
        {
            @Override
            public long nextTransactionId()
            {
                return txns.nextId();
            }

            @Override
            public long lastCommitTimestamp()
            {
                return txns.visibleTimestamp();
            }

            @Override
            public java.util.Map<Long, Long> activeWriters()
            {
                return txns.writersFirstLsn();
            }
        };
        this.checkpointer = new Checkpointer(new Checkpointer.Target()
        {
            @Override
            public void checkpoint()
            {
                Database.this.checkpoint();
            }

            @Override
            public CheckpointMark lastCheckpoint()
            {
                return lastCheckpoint;
            }

            @Override
            public WriteAheadLog wal()
            {
                return wal;
            }

            @Override
            public boolean isStopped()
            {
                return Database.this.isStopped();
            }

            @Override
            public Path directory()
            {
                return directory;
            }
        }, options.checkpointInterval(), options.checkpointLogBytes());
        for (final String name : store.treeNames())
        {
            keyspaces.put(name, new Keyspace(this, store.tree(name).orElseThrow()));
        }
    }

    /** Opens the database in {@code directory}, creating it when absent, with default options. */
    public static Database open(final Path directory)
    {
        return open(directory, DatabaseOptions.defaults());
    }

    /**
     * Opens the database in {@code directory}, creating it when absent.
     *
     * @throws DatabaseLockedException when another process (or instance) has it open
     * @throws CorruptionException     naming file and offset when a file fails its checks
     */
    public static Database open(final Path directory, final DatabaseOptions options)
    {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        final FileIo io = options.fileIo();
        final Path dir = directory.toAbsolutePath().normalize();
        final Closeable lock = lockDirectory(io, dir);
        final List<AutoCloseable> opened = new ArrayList<>();
        opened.add(lock);
        try
        {
            final MasterRecord master = MasterRecord.read(io, dir);
            final Path pagesFile = dir.resolve(PAGES_FILE);
            final Path creating = dir.resolve(CREATING_FILE);
            if (master == null)
            {
                if (io.exists(creating))
                {
                    discardInterruptedCreation(io, dir);
                }
                else if (io.exists(pagesFile))
                {
                    throw new CorruptionException(dir.resolve(MasterRecord.FILE_NAME), 0, "the data file " + pagesFile
                        + " exists but the master record does not; restore the database from a backup");
                }
                // until the first master record is in place, the marker says that nothing in here was ever
                // acknowledged, so that an open after a crash may start the creation again
                io.open(creating, FileIo.OpenMode.CREATE).close();
                io.forceDirectory(dir);
            }
            final WriteAheadLog wal = WriteAheadLog.open(WalOptions.builder(dir.resolve(WAL_DIRECTORY)).fileIo(io)
                .segmentSize(options.walSegmentSize()).build());
            opened.add(wal);
            final PageStoreOptions pageOptions = PageStoreOptions.builder(pagesFile).fileIo(io)
                .pageSize(options.pageSize()).bufferPoolBytes(options.cacheBytes()).build();
            RecoveryReport recovery = null;
            if (master != null && (!master.closedCleanly() || wal.lastAppendedLsn() > master.lastCheckpointRecord()))
            {
                LOG.info("the database at {} was not closed cleanly (log records up to LSN {}, the last checkpoint "
                    + "began at LSN {} and ended at LSN {}); recovering", dir, wal.lastAppendedLsn(),
                    master.checkpointLsn(), master.checkpointEndLsn());
                final CheckpointTables tables = master.checkpointEndLsn() == 0 ? null
                    : CheckpointTables.read(wal, dir.resolve(WAL_DIRECTORY), master.checkpointLsn(),
                        master.checkpointEndLsn());
                recovery = Recovery.run(MvccStoreOptions.builder(pageOptions).gcInterval(Duration.ZERO).build(), wal,
                    tables);
                LOG.info("the database at {}: {}", dir, recovery);
            }
            final long nextId = master == null ? 1
                : Math.max(master.nextTxnId(), recovery == null ? 0 : recovery.maxTransactionId() + 1);
            final TxnManager txns = new TxnManager(nextId, master == null ? 0 : master.lastTimestamp(),
                TRANSACTION_SLOTS);
            final MvccStore store = MvccStore.open(MvccStoreOptions.builder(pageOptions).build(), wal, txns);
            opened.add(store);
            final LockManager locks = LockManager.open(LockManagerOptions.defaults());
            opened.add(locks);
            final Database database = new Database(dir, options, lock, wal, txns, store, locks, recovery);
            database.checkpoint();
            if (io.exists(creating))
            {
                // the master record is durable: the database exists from here on
                io.delete(creating);
                io.forceDirectory(dir);
            }
            database.checkpointer.start();
            return database;
        }
        catch (final IOException ex)
        {
            final StorageIOException failure = new StorageIOException("cannot open the database at " + dir + ": "
                + ex.getMessage(), ex);
            closeAll(opened, failure);
            throw failure;
        }
        catch (final RuntimeException ex)
        {
            closeAll(opened, ex);
            throw ex;
        }
    }

    /**
     * Removes what a creation that crashed before its first master record left: the page file, the log's segments
     * and a master record not yet renamed into place. None of it holds anything acknowledged.
     */
    private static void discardInterruptedCreation(final FileIo io, final Path dir) throws IOException
    {
        LOG.warn("the creation of the database at {} was interrupted before it completed; creating it again", dir);
        final Path wal = dir.resolve(WAL_DIRECTORY);
        for (final Path segment : io.list(wal))
        {
            io.delete(segment);
        }
        for (final String name : new String[] {PAGES_FILE, MasterRecord.FILE_NAME + ".tmp"})
        {
            final Path file = dir.resolve(name);
            if (io.exists(file))
            {
                io.delete(file);
            }
        }
        if (io.exists(wal))
        {
            io.forceDirectory(wal);
        }
        io.forceDirectory(dir);
    }

    private static Closeable lockDirectory(final FileIo io, final Path dir)
    {
        try
        {
            io.createDirectories(dir);
            final Closeable lock = io.tryLock(dir.resolve("LOCK"));
            if (lock == null)
            {
                throw new DatabaseLockedException(dir);
            }
            return lock;
        }
        catch (final IOException ex)
        {
            throw new StorageIOException("cannot lock the database directory " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private static void closeAll(final List<AutoCloseable> opened, final Throwable failure)
    {
        for (int i = opened.size() - 1; i >= 0; i--)
        {
            try
            {
                opened.get(i).close();
            }
            catch (final Exception ex)
            {
                failure.addSuppressed(ex);
            }
        }
    }

    // -------------------------------------------------------------------------------------------- keyspaces

    /**
     * @return the keyspace {@code name}, created (and durable) before this returns when absent
     * @throws IllegalArgumentException when the name is empty or longer than 255 bytes in UTF-8
     */
    public Keyspace keyspace(final String name)
    {
        requireOpen();
        final Keyspace existing = keyspaces.get(Objects.requireNonNull(name, "name"));
        if (existing != null)
        {
            return existing;
        }
        synchronized (keyspaceLock)
        {
            return keyspaces.computeIfAbsent(name, n -> new Keyspace(this, store.createTree(n)));
        }
    }

    public Optional<Keyspace> findKeyspace(final String name)
    {
        requireNotClosed();
        return Optional.ofNullable(keyspaces.get(Objects.requireNonNull(name, "name")));
    }

    /** @return the names of the keyspaces, sorted */
    public List<String> keyspaceNames()
    {
        requireNotClosed();
        final List<String> names = new ArrayList<>(keyspaces.keySet());
        names.sort(null);
        return names;
    }

    /**
     * Drops keyspace {@code name} durably and frees its pages. New operations on it fail at once; the drop waits
     * (up to the lock timeout) for transactions that were running when it began to end.
     *
     * @throws IllegalArgumentException when there is no such keyspace
     */
    public void dropKeyspace(final String name)
    {
        requireOpen();
        synchronized (keyspaceLock)
        {
            final Keyspace keyspace = keyspaces.get(Objects.requireNonNull(name, "name"));
            if (keyspace == null)
            {
                throw new IllegalArgumentException("there is no keyspace named '" + name + "'");
            }
            keyspace.markDropped();
            final long fence = txns.fence();
            final long deadline = System.nanoTime() + options.lockTimeout().toNanos();
            while (txns.anyRunningBelow(fence))
            {
                if (System.nanoTime() > deadline)
                {
                    keyspace.markUndropped();
                    throw new TidemarkException("cannot drop keyspace '" + name + "': transactions that began "
                        + "before the drop are still running after the lock timeout of " + options.lockTimeout()
                        + "; end them and retry");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            store.dropTree(name);
            keyspaces.remove(name);
        }
    }

    // ------------------------------------------------------------------------------------------ transactions

    /** Begins a transaction with the database's default isolation, durability and lock timeout. */
    public Transaction begin()
    {
        return begin(options.isolation(), options.durability(), options.lockTimeout(), false);
    }

    public Transaction begin(final IsolationLevel isolation)
    {
        return begin(Objects.requireNonNull(isolation, "isolation"), options.durability(),
            options.lockTimeout(), false);
    }

    public Transaction begin(final TransactionOptions transactionOptions)
    {
        Objects.requireNonNull(transactionOptions, "transactionOptions");
        return begin(
            transactionOptions.isolation() != null ? transactionOptions.isolation() : options.isolation(),
            transactionOptions.durability() != null ? transactionOptions.durability() : options.durability(),
            transactionOptions.lockTimeout() != null ? transactionOptions.lockTimeout() : options.lockTimeout(),
            transactionOptions.readOnly());
    }

    private Transaction begin(final IsolationLevel isolation, final Durability durability, final Duration lockTimeout,
        final boolean readOnly)
    {
        requireOpen();
        final Txn txn = new Txn(this, isolation, durability, lockTimeout, readOnly);
        txn.started(txns.begin(txn));
        return txn;
    }

    /**
     * Runs {@code work} in a transaction and commits it, retrying (up to 10 attempts, with jittered exponential
     * backoff up to 100 ms) when it fails with a retryable {@link TransactionAbortedException}; the last failure is
     * rethrown. Any other exception rolls the transaction back and propagates at once.
     */
    public <T> T inTransaction(final IsolationLevel isolation, final Function<Transaction, T> work)
    {
        Objects.requireNonNull(work, "work");
        for (int attempt = 1; ; attempt++)
        {
            try (Transaction txn = begin(isolation))
            {
                final T result = work.apply(txn);
                if (txn.isActive())
                {
                    txn.commit();
                }
                return result;
            }
            catch (final TransactionAbortedException ex)
            {
                if (!ex.isRetryable() || attempt >= MAX_ATTEMPTS)
                {
                    throw ex;
                }
                final long ceiling = Math.min(TimeUnit.MILLISECONDS.toNanos(100), 200_000L << attempt);
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
            }
        }
    }

    // ------------------------------------------------------------------------------------------- operations

    /**
     * Writes a checkpoint: every page changed before it goes to disk, a checkpoint record is forced to the log,
     * the master record names it, and the log below what is still needed is retired.
     */
    public void checkpoint()
    {
        checkpoint(false);
    }

    /** @param closing whether this is the closing checkpoint, after which nothing changes */
    private void checkpoint(final boolean closing)
    {
        requireOpen();
        synchronized (checkpointLock)
        {
            lastCheckpoint = Checkpoint.take(wal, store.pages(), transactionTable, options.fileIo(), directory,
                options.walSegmentSize(), closing);
        }
    }

    /** @return the last checkpoint of this open */
    CheckpointMark lastCheckpoint()
    {
        return lastCheckpoint;
    }

    /**
     * @return what restart recovery did when this open found the database not closed cleanly; empty after a clean
     * close
     */
    public Optional<RecoveryReport> recoveryReport()
    {
        return Optional.ofNullable(recovery);
    }

    /** @return the transactions waiting for locks now, with what they wait for */
    public List<LockWait> lockWaits()
    {
        requireNotClosed();
        final List<LockWait> waits = new ArrayList<>();
        for (final dev.tidemark.lock.LockWait wait : locks.waits())
        {
            final LockResource resource = wait.resource();
            final String keyspace = keyspaceName(resource.keyspaceId());
            final byte[] key = resource.kind() == ResourceKind.ROW || resource.kind() == ResourceKind.RANGE
                ? resource.key() : null;
            final List<Long> holders = new ArrayList<>();
            for (final long holder : wait.waitsFor())
            {
                holders.add(holder);
            }
            waits.add(new Wait(wait.txnId(), List.copyOf(holders), keyspace, key, wait.requested().name()));
        }
        return waits;
    }

    private String keyspaceName(final long id)
    {
        for (final Keyspace keyspace : keyspaces.values())
        {
            if (keyspace.id() == id)
            {
                return keyspace.name();
            }
        }
        return "#" + id;
    }

    public DatabaseStats stats()
    {
        requireNotClosed();
        final long[] values = new long[counters.length()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = counters.get(i);
        }
        values[COMMITTED] = txns.committedCount();
        values[ROLLED_BACK] = txns.rolledBackCount();
        return new DatabaseStats(keyspaces.size(), txns.activeCount(), values, wal.durableLsn(),
            store.pages().pageCount(), store.pages().freePageCount(), store.pages().frameCount());
    }

    /** Runs the page store's full structural check; call it while no transaction writes. */
    public dev.tidemark.mvcc.VerifyReport verify()
    {
        requireNotClosed();
        return store.verify();
    }

    /** @return the directory of this database */
    public Path directory()
    {
        return directory;
    }

    /**
     * Checkpoints, stops every thread the database started and releases the directory lock. Call it once no other
     * thread uses the database. Each step runs even when an earlier one fails; the first failure is thrown.
     */
    @Override
    public void close()
    {
        synchronized (checkpointLock)
        {
            if (closed)
            {
                return;
            }
        }
        RuntimeException failure = run(null, checkpointer::stop);
        failure = run(failure, this::rollBackRunning);
        failure = run(failure, store::stopCollector);
        // clean only when everything before went well: a transaction that could not be rolled back is left to
        // recovery at the next open
        final boolean clean = failure == null;
        failure = run(failure, () -> checkpoint(clean));
        closed = true;
        failure = run(failure, store::close);
        failure = run(failure, locks::close);
        failure = run(failure, wal::close);
        failure = run(failure, () ->
        {
            try
            {
                directoryLock.close();
            }
            catch (final IOException ex)
            {
                throw new StorageIOException("cannot release the lock of " + directory + ": " + ex.getMessage(), ex);
            }
        });
        if (failure != null)
        {
            throw failure;
        }
    }

    private static RuntimeException run(final RuntimeException failure, final Runnable step)
    {
        try
        {
            step.run();
            return failure;
        }
        catch (final RuntimeException ex)
        {
            return keep(failure, ex);
        }
    }

    /** Rolls back the transactions still running at close, so that no unfinished version outlives this instance. */
    private void rollBackRunning()
    {
        for (final Txn txn : txns.running())
        {
            txn.close();
        }
    }

    private static RuntimeException keep(final RuntimeException first, final RuntimeException next)
    {
        if (first == null)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    // ----------------------------------------------------------------------------------- for transactions

    /** Fails when the database is closed, or stopped after a failure it cannot go on from. */
    void requireOpen()
    {
        requireNotClosed();
        final RuntimeException stopped = stoppedBy;
        if (stopped != null)
        {
            throw new FailStopException("the database at " + directory + " stopped after a failure and takes no "
                + "more work: " + stopped.getMessage() + "; close it and open it again, and restart recovery will "
                + "finish what was left", stopped);
        }
    }

    private void requireNotClosed()
    {
        if (closed)
        {
            throw new IllegalStateException("the database at " + directory + " is closed");
        }
    }

    /**
     * Stops the database after a failure that leaves its state in doubt in memory (a rollback that could not
     * finish: the transaction's versions may still be in the trees). Every later operation, checkpoint included,
     * fails; what is on disk and in the log is left for restart recovery, which finishes the rollback.
     */
    void stop(final RuntimeException cause)
    {
        synchronized (stopLock)
        {
            if (stoppedBy == null)
            {
                stoppedBy = cause;
                LOG.error("the database at {} stopped; close it and open it again to recover", directory, cause);
            }
        }
    }

    /** @return whether {@link #stop} stopped the database */
    boolean isStopped()
    {
        return stoppedBy != null;
    }

    DatabaseOptions options()
    {
        return options;
    }

    TxnManager txns()
    {
        return txns;
    }

    Ssi ssi()
    {
        return ssi;
    }

    MvccStore store()
    {
        return store;
    }

    LockManager locks()
    {
        return locks;
    }

    WriteAheadLog wal()
    {
        return wal;
    }

    void count(final int counter)
    {
        counters.incrementAndGet(counter);
    }

    @Override
    public String toString()
    {
        return "Database[" + directory + "]";
    }

    /** A lock wait as {@link #lockWaits()} reports it. */
    private static final class Wait implements LockWait
    {
        private final long waiter;
        private final List<Long> holders;
        private final String keyspace;
        private final byte[] key;
        private final String mode;

        Wait(final long waiter, final List<Long> holders, final String keyspace, final byte[] key, final String mode)
        {
            this.waiter = waiter;
            this.holders = holders;
            this.keyspace = keyspace;
            this.key = key;
            this.mode = mode;
        }

        @Override
        public long waiterTransactionId()
        {
            return waiter;
        }

        @Override
        public List<Long> holderTransactionIds()
        {
            return holders;
        }

        @Override
        public String keyspace()
        {
            return keyspace;
        }

        @Override
        public byte[] key()
        {
            return key == null ? null : key.clone();
        }

        @Override
        public String mode()
        {
            return mode;
        }

        @Override
        public String toString()
        {
            return "transaction " + waiter + " waits for " + holders + " on " + keyspace + " "
                + (key == null ? "" : Keys.render(key)) + " (" + mode + ")";
        }
    }
}
