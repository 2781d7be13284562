package dev.tidemark.cli;

import dev.tidemark.DatabaseOptions;
import dev.tidemark.testkit.fs.BufferingFileIo;
import java.nio.file.Path;

/**
 * The kill-cycle child of {@link CrashLoad} on the {@link BufferingFileIo}: its unforced writes live only in the
 * process, so the SIGKILL that ends it loses them as a power cut would.
 */
public final class BufferedCrashLoad
{
    private BufferedCrashLoad()
    {
    }

    public static void main(final String[] args)
    {
        CrashLoad.run(Path.of(args[0]), DatabaseOptions.builder().fileIo(new BufferingFileIo()).build(),
            java.util.Arrays.copyOfRange(args, 1, args.length));
    }
}
