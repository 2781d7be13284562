package dev.tidemark.testkit;

import dev.tidemark.CrashPoint;
import dev.tidemark.CrashPoints;
import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.DatabaseOptions;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import dev.tidemark.recovery.RecoveryReport;
import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A crash test of a {@link Workload} on a Tidemark {@link Database}: the database runs on a
 * {@link SimulatedFileSystem}, the machine crashes at a chosen moment, in a chosen {@link CrashMode} (what of
 * the unsynced writes survives), the database is opened again, and what it holds is checked against what the
 * workload's recorded transactions were told:
 * <ul>
 *   <li>O1 every commit acknowledged under {@code SYNC} is there (unless a later write replaced it);</li>
 *   <li>O2 nothing of a transaction that did not commit is;</li>
 *   <li>O3 a commit in doubt at the crash (in flight, ASYNC or NONE, or one that threw) is there whole or not at
 *       all;</li>
 *   <li>O4 what survived is a prefix: no commit is there while one whose commit returned before it was called is
 *       lost;</li>
 *   <li>O5 the workload's own invariant holds ({@link Builder#invariant});</li>
 *   <li>O6 {@link Database#verify()} finds nothing wrong.</li>
 * </ul>
 * A run is a function of its settings: the same seed, crash and mode replay it, apart from the order in which the
 * engine's background threads interleave their I/O with the workload's. It is JUnit 5- and jqwik-friendly: build
 * one per test or per try, call {@link #run()}, then {@link CrashResult#assertHeld()}.
 *
 * <pre>{@code
 * @Property(tries = 50)
 * void keepsAcknowledgedTransfers(@ForAll long seed, @ForAll CrashMode mode) {
 *     CrashTest.builder(this::transfers).seed(seed).mode(mode).crashAtRandomOperation()
 *         .invariant(db -> assertThat(total(db)).isEqualTo(1_000))
 *         .build().run().assertHeld();
 * }
 * }</pre>
 *
 * <p>The named crash points ({@link Builder#crashAt(CrashPoint, int)}) need the JVM to run with
 * {@code -Dtidemark.crashPoints=true}; crashes at I/O operations need nothing.
 */
public final class CrashTest
{
    private static final Path DIRECTORY = Path.of("/db");

    private final Workload workload;
    private final long seed;
    private final CrashMode mode;
    private final Consumer<DatabaseOptions.Builder> settings;
    private final long crashAtOperation;
    private final boolean randomOperation;
    private final CrashPoint point;
    private final int arrival;
    private final long recoveryCrashAt;
    private final Consumer<Database> invariant;

    private CrashTest(final Builder builder)
    {
        this.workload = builder.workload;
        this.seed = builder.seed;
        this.mode = builder.mode;
        this.settings = builder.settings;
        this.crashAtOperation = builder.crashAtOperation;
        this.randomOperation = builder.randomOperation;
        this.point = builder.point;
        this.arrival = builder.arrival;
        this.recoveryCrashAt = builder.recoveryCrashAt;
        this.invariant = builder.invariant;
    }

    /**
     * @return a builder of a test of {@code workload}. Without a crash setting the machine crashes once the workload
     * returned, before the database is closed; with one, the database is closed after the workload, so that a crash
     * index may also fall in the closing checkpoint
     */
    public static Builder builder(final Workload workload)
    {
        return new Builder(Objects.requireNonNull(workload, "workload"));
    }

    /**
     * Runs the workload once without a crash, then closes the database, counting the simulated file system's I/O
     * operations from the moment the database was open to the end of its close: the range of
     * {@link Builder#crashAtOperation} for an exhaustive loop.
     *
     * @return the number of operations
     */
    public long countOperations()
    {
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        final DatabaseOptions options = options(fs);
        final Database db = Database.open(DIRECTORY, options);
        fs.faults().resetCounts();
        try
        {
            workload.run(db, new Recorder(db, options.durability()));
        }
        catch (final Exception ex)
        {
            closeQuietly(db);
            throw new IllegalStateException("the workload failed without a crash (seed " + seed + ")", ex);
        }
        db.close();
        return fs.faults().operationCount();
    }

    /**
     * Runs the workload, crashes, recovers and checks.
     *
     * @return what it found; {@link CrashResult#assertHeld()} turns violations into a test failure
     * @throws IllegalStateException when the workload failed although no crash had happened (a bug in it, or in
     *                               the engine: the cause says which)
     */
    public CrashResult run()
    {
        final long operation = randomOperation
            ? 1 + new SplittableRandom(seed).nextLong(Math.max(1, countOperations())) : crashAtOperation;
        final String description = describe(operation);
        final SimulatedFileSystem fs = new SimulatedFileSystem(seed);
        final DatabaseOptions options = options(fs);
        final Database db = Database.open(DIRECTORY, options);
        final Recorder recorder = new Recorder(db, options.durability());
        fs.faults().resetCounts();
        if (operation > 0)
        {
            fs.faults().crashAtOperation(operation);
        }
        if (point != null)
        {
            CrashPoints.arm(point, arrival, fs::halt);
        }
        try
        {
            workload.run(db, recorder);
            if (operation > 0 || point != null)
            {
                // the crash may also come in the closing checkpoint, as the operations counted include it
                db.close();
            }
        }
        catch (final Exception ex)
        {
            if (!fs.isHalted())
            {
                fs.halt();
                closeQuietly(db);
                throw new IllegalStateException("the workload failed without a crash: " + description, ex);
            }
        }
        finally
        {
            if (point != null)
            {
                CrashPoints.disarm();
            }
        }
        final boolean crashed = fs.isHalted();
        SimulatedFileSystem rebooted = fs.crash(mode, seed);
        closeQuietly(db);
        final String where = description + ", " + (crashed ? "crashed before the database closed"
            : "crashed after " + (operation > 0 || point != null ? "it closed" : "the workload")) + ", "
            + fs.describe();
        final List<String> problems = new ArrayList<>();
        RecoveryReport report = null;
        RuntimeException failure = null;
        try
        {
            if (recoveryCrashAt > 0)
            {
                rebooted.faults().crashAtOperation(recoveryCrashAt);
                try (Database interrupted = Database.open(DIRECTORY, options(rebooted)))
                {
                    interrupted.keyspaceNames();
                }
                catch (final RuntimeException ex)
                {
                    if (!rebooted.isHalted())
                    {
                        throw ex;
                    }
                }
                rebooted = rebooted.crash(mode, seed + 1);
            }
            try (Database recovered = Database.open(DIRECTORY, options(rebooted)))
            {
                report = recovered.recoveryReport().orElse(null);
                problems.addAll(recorder.history().check(state(recovered, recorder)));
                problems.addAll(recovered.verify().problems());
                if (invariant != null)
                {
                    try
                    {
                        invariant.accept(recovered);
                    }
                    catch (final AssertionError | RuntimeException ex)
                    {
                        problems.add("the invariant failed: " + ex);
                    }
                }
            }
        }
        catch (final RuntimeException ex)
        {
            // recovery, the reopen or reading the recovered state failed: the most important finding of all
            failure = ex;
            problems.add("the database could not be opened and read after the crash: " + ex);
        }
        return new CrashResult(where, crashed, report, problems, failure);
    }

    private String describe(final long operation)
    {
        final String crash = point != null ? "crash at " + point + " (arrival " + arrival + ")"
            : operation > 0 ? "crash at I/O operation " + operation : "crash after the workload";
        return "seed " + seed + ", " + crash + ", mode " + mode
            + (recoveryCrashAt > 0 ? ", recovery crashed at I/O operation " + recoveryCrashAt : "");
    }

    private DatabaseOptions options(final SimulatedFileSystem fs)
    {
        final DatabaseOptions.Builder builder = DatabaseOptions.builder().cacheBytes(4 << 20)
            .walSegmentSize(1 << 20);
        settings.accept(builder);
        return builder.fileIo(fs).build();
    }

    /** @return every entry of every keyspace the workload wrote, under the keys the recorder gave them */
    private static Map<byte[], byte[]> state(final Database db, final Recorder recorder)
    {
        final Map<byte[], byte[]> state = new HashMap<>();
        for (final String name : recorder.keyspaces())
        {
            final Optional<Keyspace> keyspace = db.findKeyspace(name);
            if (keyspace.isEmpty())
            {
                continue;
            }
            try (Transaction txn = db.begin(); Cursor cursor = txn.scan(keyspace.get(), null, null))
            {
                while (cursor.next())
                {
                    state.put(recorder.historyKey(name, cursor.key()), cursor.value());
                }
            }
        }
        return state;
    }

    private static void closeQuietly(final Database db)
    {
        try
        {
            db.close();
        }
        catch (final RuntimeException expected)
        {
            // the machine crashed: the close cannot write, and what it would have written is lost as intended
        }
    }

    /** Builds a {@link CrashTest}. */
    public static final class Builder
    {
        private final Workload workload;
        private long seed = 1;
        private CrashMode mode = CrashMode.RANDOM_PREFIX;
        private Consumer<DatabaseOptions.Builder> settings = builder -> { };
        private long crashAtOperation;
        private boolean randomOperation;
        private CrashPoint point;
        private int arrival;
        private long recoveryCrashAt;
        private Consumer<Database> invariant;

        private Builder(final Workload workload)
        {
            this.workload = workload;
        }

        /** The seed of the simulated file system and of every random choice of the run (default 1). */
        public Builder seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        /** What survives of the writes not forced at the crash (default {@link CrashMode#RANDOM_PREFIX}). */
        public Builder mode(final CrashMode mode)
        {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Options of the database under test; the kit sets the file system. Before these run, the kit sets a
         * 4 MiB cache and 1 MiB log segments, which keep a simulated machine small.
         */
        public Builder options(final Consumer<DatabaseOptions.Builder> settings)
        {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Crash at the {@code k}-th I/O operation (1-based) after the database opened; see {@link #countOperations}. */
        public Builder crashAtOperation(final long k)
        {
            if (k < 1)
            {
                throw new IllegalArgumentException("the operation index is 1-based, was " + k);
            }
            clearCrash();
            this.crashAtOperation = k;
            return this;
        }

        /** Crash at an I/O operation drawn from the seed among those of a run without a crash (costs one run). */
        public Builder crashAtRandomOperation()
        {
            clearCrash();
            this.randomOperation = true;
            return this;
        }

        /** Crash the {@code arrival}-th time (1-based) the engine reaches {@code point}. */
        public Builder crashAt(final CrashPoint point, final int arrival)
        {
            if (arrival < 1)
            {
                throw new IllegalArgumentException("the arrival is 1-based, was " + arrival);
            }
            clearCrash();
            this.point = Objects.requireNonNull(point, "point");
            this.arrival = arrival;
            return this;
        }

        /** Crash the first recovery, too, at its {@code j}-th I/O operation; a second open must finish it (O7). */
        public Builder crashRecoveryAtOperation(final long j)
        {
            if (j < 1)
            {
                throw new IllegalArgumentException("the operation index is 1-based, was " + j);
            }
            this.recoveryCrashAt = j;
            return this;
        }

        /** A check of the workload's own invariant on the recovered database (O5): throw to report a violation. */
        public Builder invariant(final Consumer<Database> invariant)
        {
            this.invariant = Objects.requireNonNull(invariant, "invariant");
            return this;
        }

        public CrashTest build()
        {
            return new CrashTest(this);
        }

        private void clearCrash()
        {
            crashAtOperation = 0;
            randomOperation = false;
            point = null;
            arrival = 0;
        }
    }
}
