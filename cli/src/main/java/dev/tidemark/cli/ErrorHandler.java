package dev.tidemark.cli;

import dev.tidemark.TidemarkException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one line on standard error and an exit code: 2 for bad usage (with a pointer to
 * {@code --help}), 1 for an error while running. Tidemark's own exceptions and bad-input exceptions carry messages
 * meant for the user, so only the message is printed; anything else is a bug and gets its stack trace.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler
{
    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        final PrintWriter err = command.getErr();
        err.println(name(command) + ": " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + name(command) + " --help' for usage.");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine command, final ParseResult parseResult)
    {
        final PrintWriter err = command.getErr();
        if (isExpected(ex))
        {
            err.println(name(command) + ": error: " + ex.getMessage());
        }
        else
        {
            err.println(name(command) + ": unexpected error: " + ex);
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static boolean isExpected(final Exception ex)
    {
        return ex instanceof TidemarkException || ex instanceof IllegalArgumentException
            || ex instanceof IllegalStateException || ex instanceof IOException || ex instanceof UncheckedIOException;
    }

    private static String name(final CommandLine command)
    {
        return command.getCommandSpec().qualifiedName();
    }
}
