package dev.tidemark.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code tidemark} command: runs it and exits with its exit code. */
public final class Main
{
    private Main()
    {
    }

    public static void main(final String[] args)
    {
        final int exitCode = TidemarkCommand.commandLine()
            .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
            .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true))
            .execute(args);
        System.exit(exitCode);
    }
}
