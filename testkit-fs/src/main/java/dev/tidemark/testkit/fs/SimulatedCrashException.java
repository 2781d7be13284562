package dev.tidemark.testkit.fs;

import java.io.IOException;

/**
 * The simulated machine has crashed: raised by the I/O operation at which a crash point set with
 * {@link FaultInjector#crashAtOperation(long)} was reached, and by every operation after that or after
 * {@link SimulatedFileSystem#halt()}, on the file system, its handles and its mappings. Obtain the state a
 * reboot sees with {@link SimulatedFileSystem#crash(CrashMode)}.
 */
public final class SimulatedCrashException extends IOException
{
    private static final long serialVersionUID = 1L;

    SimulatedCrashException(final String message)
    {
        super(message);
    }
}
