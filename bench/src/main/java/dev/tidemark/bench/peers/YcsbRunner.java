package dev.tidemark.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tidemark.bench.BenchFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import site.ycsb.ClientThread;
import site.ycsb.WorkloadException;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * YCSB core workloads against one engine, in a process of its own: loads {@code records} records through the
 * engine's batched write path (YCSB's own load phase and key order, {@link YcsbBinding} collecting the inserts),
 * then runs each workload at each client thread count for {@code warmup} seconds unmeasured and {@code seconds}
 * measured, every operation a durable transaction. Records have one 100-byte field (YCSB's default is ten: one
 * keeps the load of seven engines within the comparison's time). Workload E runs last because it inserts.
 *
 * <p>Arguments are {@code name=value}: {@code peer}, {@code out} (a JSON file), and optionally {@code records}
 * (1000000), {@code seconds} (5), {@code warmup} (1), {@code threads} (2,16), {@code workloads} (A,B,C,F,E),
 * {@code profile} (runs to record with JFR instead of measuring, e.g. {@code A/16,E/2}) and {@code profileDir}.
 */
public final class YcsbRunner
{
    /** The YCSB core workloads, their proportions as in YCSB's workloads/workloada..f files. */
    static final Map<String, String> WORKLOADS = Map.of(
        "A", "readproportion=0.5,updateproportion=0.5",
        "B", "readproportion=0.95,updateproportion=0.05",
        "C", "readproportion=1",
        "E", "scanproportion=0.95,insertproportion=0.05,maxscanlength=100,scanlengthdistribution=uniform",
        "F", "readproportion=0.5,readmodifywriteproportion=0.5");

    private YcsbRunner()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            if (equals < 0)
            {
                throw new IllegalArgumentException("arguments are name=value: " + arg);
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        final Peer peer = Peer.byId(required(options, "peer"));
        final Path out = Path.of(required(options, "out"));
        final int records = Integer.parseInt(options.getOrDefault("records", "1000000"));
        final int seconds = Integer.parseInt(options.getOrDefault("seconds", "5"));
        final int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        final String[] threads = options.getOrDefault("threads", "2,16").split(",");
        final String[] workloads = options.getOrDefault("workloads", "A,B,C,F,E").split(",");
        final Set<String> profile = Set.of(options.getOrDefault("profile", "").split(","));
        final Path profileDir = Path.of(options.getOrDefault("profileDir", "."));

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("peer", peer.id());
        report.put("records", records);
        final List<Map<String, Object>> runs = new ArrayList<>();
        final Path directory = BenchFiles.newDirectory("tidemark-ycsb-" + peer.id());
        try (PeerStore store = peer.open(directory))
        {
            final long loadStart = System.nanoTime();
            load(store, records);
            report.put("loadSeconds", (System.nanoTime() - loadStart) / 1e9);
            for (final String workload : workloads)
            {
                for (final String threadCount : threads)
                {
                    final String name = workload + "/" + threadCount;
                    if (!profile.contains("") && !profile.contains(name))
                    {
                        continue;
                    }
                    final Path recording = profile.contains(name)
                        ? profileDir.resolve("ycsb-" + peer.id() + "-" + workload + "-" + threadCount + ".jfr")
                        : null;
                    runs.add(run(store, records, workload, Integer.parseInt(threadCount), warmup, seconds,
                        recording));
                    System.out.printf("%s YCSB %s at %s threads: %s%n", peer.displayName(), workload, threadCount,
                        runs.get(runs.size() - 1));
                }
            }
        }
        finally
        {
            BenchFiles.deleteRecursively(directory);
        }
        report.put("runs", runs);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), report);
    }

    private static String required(final Map<String, String> options, final String name)
    {
        final String value = options.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("missing argument " + name + "=...");
        }
        return value;
    }

    static Properties properties(final int records, final String workload, final int threads)
    {
        final Properties properties = new Properties();
        properties.setProperty("recordcount", Integer.toString(records));
        properties.setProperty("operationcount", "0");
        properties.setProperty("fieldcount", "1");
        properties.setProperty("fieldlength", "100");
        properties.setProperty("readallfields", "true");
        properties.setProperty("writeallfields", "true");
        properties.setProperty("requestdistribution", "zipfian");
        properties.setProperty("insertorder", "hashed");
        properties.setProperty("threadcount", Integer.toString(threads));
        properties.setProperty("measurementtype", "histogram");
        properties.setProperty("readproportion", "0");
        properties.setProperty("updateproportion", "0");
        properties.setProperty("scanproportion", "0");
        properties.setProperty("insertproportion", "0");
        properties.setProperty("readmodifywriteproportion", "0");
        if (workload != null)
        {
            for (final String setting : WORKLOADS.get(workload).split(","))
            {
                final String[] nameValue = setting.split("=");
                properties.setProperty(nameValue[0], nameValue[1]);
            }
        }
        return properties;
    }

    private static void load(final PeerStore store, final int records) throws WorkloadException
    {
        final Properties properties = properties(records, null, 1);
        properties.setProperty("insertproportion", "1");
        Measurements.setProperties(properties);
        final CoreWorkload workload = new CoreWorkload();
        workload.init(properties);
        final YcsbBinding.Counters counters = new YcsbBinding.Counters();
        final ClientThread loader = new ClientThread(
            new YcsbBinding(store, counters, true), false, workload, properties, records, 0, new CountDownLatch(1));
        loader.setThreadId(0);
        loader.setThreadCount(1);
        loader.run();
        if (counters.operations.sum() != records || counters.failures.sum() != 0)
        {
            throw new IllegalStateException("YCSB load inserted " + counters.operations.sum() + " of " + records
                + " records with " + counters.failures.sum() + " failures", counters.firstFailure.get());
        }
    }

    private static Map<String, Object> run(
        final PeerStore store,
        final int records,
        final String workloadName,
        final int threads,
        final int warmup,
        final int seconds,
        final Path recording) throws WorkloadException, InterruptedException, IOException, ParseException
    {
        final Properties properties = properties(records, workloadName, threads);
        Measurements.setProperties(properties);
        final CoreWorkload workload = new CoreWorkload();
        workload.init(properties);
        final YcsbBinding.Counters counters = new YcsbBinding.Counters();
        final CountDownLatch done = new CountDownLatch(threads);
        final List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final ClientThread client = new ClientThread(
                new YcsbBinding(store, counters, false), true, workload, properties, 0, 0, done);
            client.setThreadId(t);
            client.setThreadCount(threads);
            final Thread thread = new Thread(client, "ycsb-client-" + t);
            clients.add(thread);
            thread.start();
        }
        Thread.sleep(warmup * 1000L);
        final Recording jfr = recording != null ? new Recording(Configuration.getConfiguration("profile")) : null;
        if (jfr != null)
        {
            jfr.start();
        }
        final long startOps = counters.operations.sum();
        final long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        final long operations = counters.operations.sum() - startOps;
        final double elapsed = (System.nanoTime() - start) / 1e9;
        if (jfr != null)
        {
            jfr.stop();
            jfr.dump(recording);
            jfr.close();
        }
        workload.requestStop();
        for (final Thread client : clients)
        {
            client.join();
        }
        workload.cleanup();
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("workload", workloadName);
        result.put("threads", threads);
        result.put("operations", operations);
        result.put("seconds", elapsed);
        result.put("opsPerSecond", operations / elapsed);
        result.put("failures", counters.failures.sum());
        if (recording != null)
        {
            result.put("profile", recording.getFileName().toString());
        }
        if (counters.failures.sum() != 0)
        {
            throw new IllegalStateException("YCSB " + workloadName + " had " + counters.failures.sum()
                + " failed operations", counters.firstFailure.get());
        }
        return result;
    }
}
