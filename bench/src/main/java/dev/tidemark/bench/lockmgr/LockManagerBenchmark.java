package dev.tidemark.bench.lockmgr;

import dev.tidemark.lock.LockManager;
import dev.tidemark.lock.LockManagerOptions;
import dev.tidemark.lock.LockMode;
import dev.tidemark.lock.LockOwner;
import dev.tidemark.lock.LockResult;
import dev.tidemark.lock.LockTarget;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The lock manager's hot path and hand-off, with the default options (64 stripes, periodic deadlock detection).
 *
 * <ul>
 *   <li>{@link #uncontendedOneThread}: acquire X on a row plus release, one thread. Floor: 5 M pairs/s, and no
 *       allocation per pair under {@code -prof gc}.</li>
 *   <li>{@link #disjointKeysTwoThreads}: the same on two threads, each on a key of its own (the two keys map to
 *       different stripes). Floor: 1.6 times the one-thread rate of the same run.</li>
 *   <li>{@link #privateMutexOneThread} and {@link #privateMutexTwoThreads}: the control for the scaling ratio. Each
 *       thread locks and unlocks a {@link ReentrantLock} of its own twice, which is the mutex work of one
 *       acquire-plus-release pair with nothing shared at all, so their ratio is what the machine allows.</li>
 *   <li>{@link #contendedHandOff}: two threads pass X on one key back and forth. A holder releases only once the
 *       other thread is queued, so every release is a hand-off to a parked waiter; one operation of a thread spans
 *       two hand-offs (the peer's wake-up, then its own), so the median wake-up latency is p0.50 / 2.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar LockManagerBenchmark -prof gc}.
 */
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class LockManagerBenchmark
{
    private static final int KEY_LENGTH = 16;
    private static final int KEYSPACE = 1;

    private final AtomicIntegerArray queued = new AtomicIntegerArray(2);
    private LockManager manager;

    @Setup
    public void open()
    {
        manager = LockManager.open(LockManagerOptions.defaults());
    }

    @TearDown
    public void close()
    {
        manager.close();
    }

    /** One transaction per benchmark thread, with a row key of its own and the key shared by all threads. */
    @State(Scope.Thread)
    public static class Transaction
    {
        final LockTarget target = new LockTarget();
        final UnsafeBuffer ownKey = new UnsafeBuffer(new byte[KEY_LENGTH]);
        final UnsafeBuffer sharedKey = new UnsafeBuffer(new byte[KEY_LENGTH]);
        final ReentrantLock privateMutex = new ReentrantLock();
        LockOwner owner;
        int self;
        int peer;

        @Setup
        public void begin(final LockManagerBenchmark benchmark, final ThreadParams thread)
        {
            owner = benchmark.manager.newOwner(thread.getThreadIndex() + 1);
            ownKey.putLong(0, 0x5EED_0000L + thread.getThreadIndex());
            ownKey.putLong(8, thread.getThreadIndex());
            self = thread.getThreadIndex() & 1;
            peer = self ^ 1;
        }
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean uncontendedOneThread(final Transaction txn)
    {
        return lockAndUnlock(txn);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean disjointKeysTwoThreads(final Transaction txn)
    {
        return lockAndUnlock(txn);
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int privateMutexOneThread(final Transaction txn)
    {
        return lockAndUnlockPrivately(txn);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int privateMutexTwoThreads(final Transaction txn)
    {
        return lockAndUnlockPrivately(txn);
    }

    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public LockResult contendedHandOff(final Transaction txn, final Control control)
    {
        final LockTarget target = txn.target.row(KEYSPACE, txn.sharedKey, 0, KEY_LENGTH);
        LockResult result = manager.request(txn.owner, target, LockMode.X);
        if (result == LockResult.WAITING)
        {
            queued.set(txn.self, 1);
            result = manager.await(txn.owner, LockManager.NO_TIMEOUT);
            queued.set(txn.self, 0);
        }
        while (queued.get(txn.peer) == 0 && !control.stopMeasurement)
        {
            Thread.onSpinWait();
        }
        manager.release(txn.owner, target);
        return result;
    }

    private boolean lockAndUnlock(final Transaction txn)
    {
        final LockTarget target = txn.target.row(KEYSPACE, txn.ownKey, 0, KEY_LENGTH);
        final LockResult result = manager.acquire(txn.owner, target, LockMode.X, 0);
        return manager.release(txn.owner, target) && result == LockResult.GRANTED;
    }

    private static int lockAndUnlockPrivately(final Transaction txn)
    {
        final ReentrantLock mutex = txn.privateMutex;
        mutex.lock();
        final int first = mutex.getHoldCount();
        mutex.unlock();
        mutex.lock();
        final int second = mutex.getHoldCount();
        mutex.unlock();
        return first + second;
    }
}
