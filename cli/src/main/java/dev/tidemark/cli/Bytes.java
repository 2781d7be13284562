package dev.tidemark.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Keys and values as the command reads and prints them: UTF-8 text or hexadecimal. */
final class Bytes
{
    private static final HexFormat HEX = HexFormat.of();

    private Bytes()
    {
    }

    /**
     * @param text  the argument as given
     * @param hex   whether {@code text} is hexadecimal (an optional {@code 0x} prefix, then pairs of hex digits)
     * @param label what the argument is, for the error message
     * @throws IllegalArgumentException naming the argument and what is wrong with it
     */
    static byte[] parse(final String text, final boolean hex, final String label)
    {
        if (!hex)
        {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        final String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        for (int i = 0; i < digits.length(); i++)
        {
            if (Character.digit(digits.charAt(i), 16) < 0)
            {
                throw new IllegalArgumentException(label + " '" + text + "' is not hexadecimal: '"
                    + digits.charAt(i) + "' at position " + (text.length() - digits.length() + i + 1)
                    + " is not a hex digit (0-9, a-f)");
            }
        }
        if (digits.length() % 2 != 0)
        {
            throw new IllegalArgumentException(label + " '" + text + "' is not hexadecimal: it has an odd number of "
                + "digits (" + digits.length() + "); every byte takes two");
        }
        return HEX.parseHex(digits);
    }

    /** @return {@code bytes} as lowercase hex digits, without prefix */
    static String hex(final byte[] bytes)
    {
        return HEX.formatHex(bytes);
    }

    /** @return {@code bytes} decoded as UTF-8 (malformed input replaced) */
    static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return {@code bytes} as text when they are printable UTF-8, else as {@code 0x} and hex digits */
    static String render(final byte[] bytes)
    {
        final String text = printableText(bytes);
        return text != null ? text : "0x" + hex(bytes);
    }

    /** @return {@code bytes} as text in single quotes when printable UTF-8, else as {@code 0x} and hex digits */
    static String quote(final byte[] bytes)
    {
        final String text = printableText(bytes);
        return text != null ? "'" + text + "'" : "0x" + hex(bytes);
    }

    private static String printableText(final byte[] bytes)
    {
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
        return text.codePoints().allMatch(Bytes::isPrintable) ? text : null;
    }

    private static boolean isPrintable(final int codePoint)
    {
        return !Character.isISOControl(codePoint) && Character.isDefined(codePoint)
            && Character.getType(codePoint) != Character.FORMAT;
    }
}
