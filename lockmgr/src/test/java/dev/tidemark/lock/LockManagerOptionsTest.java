package dev.tidemark.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockManagerOptionsTest
{
    @Test
    void shouldDefaultToPeriodicDetectionWithinOneHundredMilliseconds()
    {
        final LockManagerOptions options = LockManagerOptions.defaults();

        assertThat(options.deadlockDetection()).isEqualTo(DeadlockDetection.PERIODIC);
        assertThat(options.deadlockIntervalNanos()).isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(options.stripes()).isEqualTo(64);
    }

    @Test
    void shouldNameTheBadValue()
    {
        assertThatThrownBy(() -> LockManagerOptions.builder().stripes(3).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stripes").hasMessageContaining("3");
        assertThatThrownBy(() -> LockManagerOptions.builder().deadlockInterval(0, TimeUnit.MILLISECONDS).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadlockInterval");
        assertThatThrownBy(() -> LockManagerOptions.builder().deadlockDetection(null).build())
            .isInstanceOf(NullPointerException.class).hasMessageContaining("deadlockDetection");
    }
}
