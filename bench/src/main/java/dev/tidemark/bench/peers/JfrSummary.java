package dev.tidemark.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a JFR recording's execution samples: the methods on top of the sampled stacks (self
 * time), and the Tidemark methods anywhere on them (inclusive time), each as a share of all samples.
 *
 * @param samples the number of execution samples in the recording
 * @param self the methods most often on top of a stack, with their share of the samples
 * @param tidemark the {@code dev.tidemark} methods most often anywhere on a stack (the benchmark's own excluded)
 */
public record JfrSummary(long samples, List<Share> self, List<Share> tidemark)
{
    private static final int TOP = 10;

    /** A method and its share of the samples, in percent. */
    public record Share(String method, double percent)
    {
    }

    /** Reads the execution samples of {@code recording}. */
    public static JfrSummary of(final Path recording) throws IOException
    {
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> inclusive = new HashMap<>();
        long samples = 0;
        for (final RecordedEvent event : RecordingFile.readAllEvents(recording))
        {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName()))
            {
                continue;
            }
            final RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty())
            {
                continue;
            }
            samples++;
            self.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
            final Set<String> seen = new HashSet<>();
            for (final RecordedFrame frame : stack.getFrames())
            {
                final String name = name(frame);
                if (name.startsWith("dev.tidemark.") && !name.startsWith("dev.tidemark.bench.") && seen.add(name))
                {
                    inclusive.merge(name, 1L, Long::sum);
                }
            }
        }
        return new JfrSummary(samples, top(self, samples), top(inclusive, samples));
    }

    private static String name(final RecordedFrame frame)
    {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static List<Share> top(final Map<String, Long> counts, final long samples)
    {
        return counts.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(TOP)
            .map(entry -> new Share(entry.getKey(), samples == 0 ? 0 : 100.0 * entry.getValue() / samples))
            .collect(Collectors.toList());
    }
}
