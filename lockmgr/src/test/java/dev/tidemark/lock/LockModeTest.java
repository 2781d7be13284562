package dev.tidemark.lock;

import static dev.tidemark.lock.LockMode.IS;
import static dev.tidemark.lock.LockMode.IX;
import static dev.tidemark.lock.LockMode.S;
import static dev.tidemark.lock.LockMode.SIX;
import static dev.tidemark.lock.LockMode.X;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockModeTest
{
    @Test
    void shouldFollowTheStandardCompatibilityMatrix()
    {
        for (final LockMode a : LockMode.values())
        {
            for (final LockMode b : LockMode.values())
            {
                assertThat(a.isCompatibleWith(b)).as("%s with %s", a, b).isEqualTo(Compatibility.compatible(a, b));
                assertThat(a.isCompatibleWith(b)).as("symmetry of %s and %s", a, b).isEqualTo(b.isCompatibleWith(a));
            }
        }
    }

    @Test
    void shouldOrderModesByStrength()
    {
        assertThat(X.covers(SIX)).isTrue();
        assertThat(SIX.covers(S)).isTrue();
        assertThat(SIX.covers(IX)).isTrue();
        assertThat(S.covers(IS)).isTrue();
        assertThat(IX.covers(IS)).isTrue();
        assertThat(S.covers(IX)).isFalse();
        assertThat(IX.covers(S)).isFalse();
        assertThat(IS.covers(S)).isFalse();
    }

    @Test
    void coveringModeShouldConflictWithEverythingTheCoveredModeConflictsWith()
    {
        for (final LockMode strong : LockMode.values())
        {
            for (final LockMode weak : LockMode.values())
            {
                if (!strong.covers(weak))
                {
                    continue;
                }
                for (final LockMode other : LockMode.values())
                {
                    if (!weak.isCompatibleWith(other))
                    {
                        assertThat(strong.isCompatibleWith(other)).as("%s ≥ %s against %s", strong, weak, other)
                            .isFalse();
                    }
                }
            }
        }
    }

    @Test
    void joinShouldBeTheWeakestModeCoveringBoth()
    {
        assertThat(IX.join(S)).isEqualTo(SIX);
        assertThat(S.join(IX)).isEqualTo(SIX);
        assertThat(IS.join(IX)).isEqualTo(IX);
        assertThat(S.join(X)).isEqualTo(X);
        for (final LockMode a : LockMode.values())
        {
            for (final LockMode b : LockMode.values())
            {
                final LockMode join = a.join(b);
                assertThat(join.covers(a) && join.covers(b)).as("%s join %s = %s", a, b, join).isTrue();
                for (final LockMode candidate : LockMode.values())
                {
                    if (candidate.covers(a) && candidate.covers(b))
                    {
                        assertThat(candidate.covers(join)).as("%s is weaker than %s", join, candidate).isTrue();
                    }
                }
            }
        }
    }
}
