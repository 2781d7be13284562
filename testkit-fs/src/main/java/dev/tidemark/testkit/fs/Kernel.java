package dev.tidemark.testkit.fs;

import dev.tidemark.io.NoSpaceException;
import java.util.function.Supplier;

/**
 * The simulated machine under one {@link SimulatedFileSystem}, shared with its handles and mappings: the one
 * lock, the admission of every I/O operation (counting, crash point, injected faults), the space accounting, and
 * whether the machine still runs.
 *
 * <p>Thread-safe only under {@link #lock()}: every method except the accessors of final fields must be called
 * holding it.
 */
final class Kernel
{
    private final Object lock = new Object();
    private final long seed;
    private final int generation;
    private final FailedForce failedForce;
    private final FaultInjector faults;
    private final Supplier<FrozenState> freezer;
    private long capacity;
    private long used;
    private int openHandles;
    private int openMappings;
    private FrozenState frozen;
    private String haltReason;

    Kernel(final long seed, final int generation, final FailedForce failedForce, final long capacity,
        final Supplier<FrozenState> freezer)
    {
        this.seed = seed;
        this.generation = generation;
        this.failedForce = failedForce;
        this.capacity = capacity;
        this.freezer = freezer;
        this.faults = new FaultInjector(lock, context());
    }

    Object lock()
    {
        return lock;
    }

    long seed()
    {
        return seed;
    }

    int generation()
    {
        return generation;
    }

    FailedForce failedForce()
    {
        return failedForce;
    }

    FaultInjector faults()
    {
        return faults;
    }

    /** @return the text every failure and description carries, so that a run can be replayed. */
    String context()
    {
        return "simulated file system seed=" + seed + ", generation " + generation;
    }

    /**
     * Starts operation {@code kind} on {@code target}: counts it, crashes the machine when it is the crash point,
     * and returns the injected failure the caller must throw (after applying its side effect), or null.
     */
    InjectedFaultException admit(final OpKind kind, final Object target) throws SimulatedCrashException
    {
        ensureRunning();
        final long index = faults.start(kind);
        if (faults.crashesAt(index))
        {
            halt("at I/O operation #" + index + " (" + kind + " on " + target + ")");
            throw crashed();
        }
        return faults.failureFor(kind, target);
    }

    void ensureRunning() throws SimulatedCrashException
    {
        if (frozen != null)
        {
            throw crashed();
        }
    }

    boolean isHalted()
    {
        return frozen != null;
    }

    /** Stops the machine, capturing what its disk and caches hold; no effect when it is already stopped. */
    void halt(final String reason)
    {
        if (frozen == null)
        {
            frozen = freezer.get();
            haltReason = reason;
        }
    }

    FrozenState frozen()
    {
        return frozen;
    }

    /** Fails with {@link NoSpaceException}, changing nothing, when {@code extra} more bytes do not fit. */
    void reserve(final Object target, final long extra) throws NoSpaceException
    {
        if (extra > 0 && used + extra > capacity)
        {
            throw new NoSpaceException("No space left on device: " + target + " needs " + extra
                + " more bytes, " + used + " of " + capacity + " bytes are used (" + context() + ")");
        }
    }

    void resized(final long delta)
    {
        used += delta;
    }

    /** Frees the space of {@code inode} if nothing (name, handle, mapping) holds it any more. */
    void release(final Inode inode)
    {
        if (!inode.isLive())
        {
            used -= inode.length();
        }
    }

    long used()
    {
        return used;
    }

    long capacity()
    {
        return capacity;
    }

    void capacity(final long bytes)
    {
        capacity = bytes;
    }

    void handleOpened(final int delta)
    {
        openHandles += delta;
    }

    void mappingOpened(final int delta)
    {
        openMappings += delta;
    }

    int openHandles()
    {
        return openHandles;
    }

    int openMappings()
    {
        return openMappings;
    }

    String state()
    {
        return frozen == null ? "running" : "crashed " + haltReason;
    }

    private SimulatedCrashException crashed()
    {
        return new SimulatedCrashException("the simulated machine crashed " + haltReason + " (" + context()
            + "); every later operation on this file system, its handles and mappings fails: reboot with"
            + " crash(CrashMode)");
    }
}
