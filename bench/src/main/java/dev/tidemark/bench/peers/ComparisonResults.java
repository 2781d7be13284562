package dev.tidemark.bench.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run of the peer comparison measured, as written to {@code results.json}: the machine and every
 * setting, each engine's correctness check, and the figures.
 */
public final class ComparisonResults
{
    /** The figures' sections. */
    public static final String DB_BENCH = "dbbench";
    public static final String COMMIT = "commit";
    public static final String YCSB = "ycsb";
    /** The peer name of the disk's append-and-force floor in the commit section. */
    public static final String DISK = "disk";

    public Map<String, Object> environment = new LinkedHashMap<>();
    public Map<String, Object> settings = new LinkedHashMap<>();
    public List<Engine> engines = new ArrayList<>();
    public List<Figure> figures = new ArrayList<>();
    public List<Memory> memory = new ArrayList<>();
    public List<Profile> profiles = new ArrayList<>();
    public List<String> failures = new ArrayList<>();
    public double elapsedMinutes;

    /** An engine as measured, with its durable setting and whether it passed the correctness check. */
    public record Engine(String id, String name, String artifact, String durableSetting, boolean checked,
        String checkFailure)
    {
    }

    /**
     * One figure: a throughput (higher is better) of one engine in one workload and variant (key type, or thread
     * count). {@code error} is JMH's 99.9% confidence half-width where it has one, else NaN.
     */
    public record Figure(String section, String workload, String variant, String peer, double value, double error,
        String unit)
    {
    }

    /** The memory column of one engine. */
    public record Memory(String peer, long entries, long peakRssBytes, long diskAllocatedBytes, long diskFileBytes)
    {
    }

    /** A JFR profile of Tidemark where it is behind. */
    public record Profile(String section, String workload, String variant, String recording, JfrSummary summary)
    {
    }

    Optional<Figure> figure(final String section, final String workload, final String variant, final String peer)
    {
        return figures.stream()
            .filter(f -> f.section().equals(section) && f.workload().equals(workload)
                && f.variant().equals(variant) && f.peer().equals(peer))
            .findFirst();
    }
}
