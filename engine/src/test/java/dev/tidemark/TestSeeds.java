package dev.tidemark;

import java.util.concurrent.ThreadLocalRandom;

/** Seeds of random tests: {@code -Dtidemark.seed=N} replays a run; otherwise a fresh seed, printed. */
final class TestSeeds
{
    private TestSeeds()
    {
    }

    static long seed(final String test)
    {
        final String given = System.getProperty("tidemark.seed");
        final long seed = given != null ? Long.parseLong(given) : ThreadLocalRandom.current().nextLong();
        System.out.println(test + ": seed " + seed + " (replay with -Dtidemark.seed=" + seed + ")");
        return seed;
    }
}
