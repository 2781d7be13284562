package dev.tidemark.lock;

/** The textbook compatibility matrix, written out independently of {@link LockMode} for the tests to check by. */
final class Compatibility
{
    private static final String[] MATRIX = {
        // IS IX S SIX X
        "yyyyn", // IS
        "yynnn", // IX
        "ynynn", // S
        "ynnnn", // SIX
        "nnnnn", // X
    };

    private Compatibility()
    {
    }

    static boolean compatible(final LockMode a, final LockMode b)
    {
        return MATRIX[a.ordinal()].charAt(b.ordinal()) == 'y';
    }
}
