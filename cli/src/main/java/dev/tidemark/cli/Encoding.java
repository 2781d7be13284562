package dev.tidemark.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --hex} option: how a command reads keys and values from its arguments and prints them. */
final class Encoding
{
    @Option(names = "--hex", description = "Keys and values are hexadecimal (e.g. 0x00ff or 00ff), in the arguments "
        + "and in the output. Without it they are UTF-8 text.")
    boolean hex;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** @throws ParameterException naming the argument when it is not valid hex */
    byte[] read(final String argument, final String label)
    {
        try
        {
            return Bytes.parse(argument, hex, label);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(command.commandLine(), ex.getMessage());
        }
    }

    /** @throws ParameterException naming the argument when it is not valid hex or is empty */
    byte[] readKey(final String argument, final String label)
    {
        final byte[] key = read(argument, label);
        if (key.length == 0)
        {
            throw new ParameterException(command.commandLine(), label + " is empty; a key holds 1 to 2048 bytes");
        }
        return key;
    }

    /** @return the bytes as UTF-8 text, or as hex digits with {@code --hex} */
    String print(final byte[] bytes)
    {
        return hex ? Bytes.hex(bytes) : Bytes.text(bytes);
    }

    /** @return the bytes as text when printable, else as {@code 0x} and hex digits; hex digits with {@code --hex} */
    String render(final byte[] bytes)
    {
        return hex ? Bytes.hex(bytes) : Bytes.render(bytes);
    }
}
