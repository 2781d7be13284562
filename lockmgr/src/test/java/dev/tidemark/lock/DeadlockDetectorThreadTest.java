package dev.tidemark.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeadlockDetectorThreadTest
{
    @Test
    void shouldRunANamedDaemonThreadThatStopsOnClose()
    {
        assertThat(detectorThreads()).as("no detector before open").isEmpty();
        final LockManager manager = LockManager.open(LockManagerOptions.defaults());

        final List<Thread> running = detectorThreads();
        assertThat(running).hasSize(1);
        assertThat(running.get(0).isDaemon()).isTrue();

        manager.close();

        assertThat(running.get(0).isAlive()).isFalse();
        assertThat(detectorThreads()).isEmpty();
        manager.close();
    }

    @Test
    void shouldStartNoThreadUnlessPeriodic()
    {
        for (final DeadlockDetection detection : List.of(DeadlockDetection.ON_WAIT, DeadlockDetection.MANUAL))
        {
            final LockManager manager = LockManager.open(LockManagerOptions.builder()
                .deadlockDetection(detection)
                .build());
            assertThat(detectorThreads()).as("threads with %s", detection).isEmpty();
            manager.close();
        }
    }

    private static List<Thread> detectorThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("tidemark-lock-deadlock") && thread.isAlive())
            .collect(Collectors.toList());
    }
}
