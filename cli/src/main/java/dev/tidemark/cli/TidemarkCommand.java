package dev.tidemark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code tidemark} command: its subcommands do the work; alone it prints its usage. */
@Command(name = "tidemark", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Tidemark: an embeddable, transactional, ordered key-value engine for the JVM.%n"
        + "Run 'tidemark demo' for a tour, or 'tidemark COMMAND --help' for one command.",
    subcommands = {DemoCommand.class, PutCommand.class, GetCommand.class, DeleteCommand.class,
        ScanCommand.class, KeyspacesCommand.class, StatsCommand.class, VerifyCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:success", "1:an error (the message says what went wrong) or a failed check",
        "2:bad usage: a missing or malformed option or argument"})
final class TidemarkCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    /** @return the command line of {@code tidemark}, with its error handling installed */
    static CommandLine commandLine()
    {
        final ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new TidemarkCommand())
            .setParameterExceptionHandler(errors)
            .setExecutionExceptionHandler(errors);
    }

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
