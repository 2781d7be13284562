package dev.tidemark;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Key limits and how keys are shown in messages: UTF-8 when printable, else hex; long keys are cut. */
final class Keys
{
    static final int MAX_KEY_LENGTH = 2048;
    private static final int SHOWN = 64;

    private Keys()
    {
    }

    static String render(final byte[] key)
    {
        final int length = Math.min(key.length, SHOWN);
        final String suffix = key.length > SHOWN ? "…(" + key.length + " bytes)" : "";
        try
        {
            final String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(key, 0, length)).toString();
            if (text.chars().allMatch(c -> c >= 0x20 && c != 0x7F))
            {
                return "'" + text + "'" + suffix;
            }
        }
        catch (final CharacterCodingException ex)
        {
            // not text: shown as hex below
        }
        final StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < length; i++)
        {
            hex.append(Character.forDigit((key[i] >> 4) & 0xF, 16)).append(Character.forDigit(key[i] & 0xF, 16));
        }
        return hex + suffix;
    }
}
