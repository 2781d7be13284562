package dev.tidemark.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.Durability;
import dev.tidemark.FailStopException;
import dev.tidemark.TidemarkException;
import dev.tidemark.testkit.fs.CrashMode;
import dev.tidemark.testkit.fs.OpKind;
import dev.tidemark.testkit.fs.SimulatedFileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The I/O-error loop of TESTING.md: for a fixed workload, fail the k-th operation of each kind for every k, once
 * and for good. No durable-acknowledged record is lost, no append after a failed write or force is acknowledged,
 * and once the fault is gone the log reopens and passes the same checks.
 */
class WalIoErrorLoopTest
{
    private static final long SEED = 0x5EEDL;
    private static final OpKind[] KINDS = {
        OpKind.OPEN, OpKind.WRITE, OpKind.FORCE, OpKind.ALLOCATE, OpKind.MAP, OpKind.DELETE, OpKind.FORCE_DIRECTORY};

    private static WalOptions options(final SimulatedFileSystem fs)
    {
        return WalOptions.builder(WalWorkload.DIR).fileIo(fs).segmentSize(64 << 10).ringSize(16).build();
    }

    /** Runs the workload; returns whether any append or retirement failed. */
    private static boolean run(final SimulatedFileSystem fs, final WalWorkload workload, final List<String> events)
        throws InterruptedException
    {
        final WriteAheadLog wal;
        try
        {
            wal = WriteAheadLog.open(options(fs));
        }
        catch (final TidemarkException ex)
        {
            events.add("open failed: " + ex.getMessage());
            return true;
        }
        boolean failed = false;
        boolean failStopSeen = false;
        try
        {
            for (int round = 0; round < 6; round++)
            {
                try
                {
                    final List<Throwable> failures = workload.appendConcurrently(wal, 1, 12, SEED + round, 40 << 10);
                    if (!failures.isEmpty())
                    {
                        failed = true;
                        failStopSeen |= failures.stream().anyMatch(FailStopException.class::isInstance);
                        events.add("append failed: " + failures.get(0));
                    }
                    if (round % 2 == 1)
                    {
                        workload.flush(wal);
                    }
                    if (round == 3)
                    {
                        workload.retire(wal, workload.durableWatermark() / 2);
                    }
                }
                catch (final TidemarkException ex)
                {
                    failed = true;
                    failStopSeen |= ex instanceof FailStopException;
                    events.add("round " + round + " failed: " + ex);
                }
                if (failStopSeen)
                {
                    final long before = wal.durableLsn();
                    try
                    {
                        wal.append(1, new byte[8], Durability.SYNC);
                        throw new AssertionError("an append was acknowledged after the log failed; " + events);
                    }
                    catch (final FailStopException expected)
                    {
                        assertThat(wal.durableLsn()).isEqualTo(before);
                    }
                }
            }
            workload.observeDurable(wal);
        }
        finally
        {
            wal.close();
        }
        return failed;
    }

    @Test
    void shouldLoseNoAcknowledgedRecordWhateverOperationFails() throws Exception
    {
        final SimulatedFileSystem clean = new SimulatedFileSystem(SEED);
        final WalWorkload cleanWorkload = new WalWorkload();
        assertThat(run(clean, cleanWorkload, new ArrayList<>())).isFalse();
        final Map<OpKind, Long> counts = new TreeMap<>();
        for (final OpKind kind : KINDS)
        {
            counts.put(kind, clean.faults().operationCount(kind));
        }
        assertThat(counts.get(OpKind.WRITE)).isGreaterThan(10);
        assertThat(counts.get(OpKind.FORCE)).isGreaterThan(5);

        int injected = 0;
        for (final OpKind kind : KINDS)
        {
            for (long k = 1; k <= counts.get(kind) + 1; k++)
            {
                for (final boolean persistent : new boolean[] {false, true})
                {
                    final SimulatedFileSystem fs = new SimulatedFileSystem(SEED + k);
                    if (persistent)
                    {
                        fs.faults().failFrom(kind, k);
                    }
                    else
                    {
                        fs.faults().failOnce(kind, k);
                    }
                    final WalWorkload workload = new WalWorkload();
                    final List<String> events = new ArrayList<>();
                    if (run(fs, workload, events))
                    {
                        injected++;
                    }
                    final SimulatedFileSystem rebooted = fs.crash(CrashMode.DROP_ALL, SEED);
                    try (WriteAheadLog wal = WriteAheadLog.open(options(rebooted)))
                    {
                        workload.verify(wal, "after failing " + kind + " #" + k + (persistent ? " for good" : " once")
                            + " " + events + " on " + rebooted.describe());
                    }
                }
            }
        }
        assertThat(injected).as("faults that reached the workload").isGreaterThan(20);
    }
}
