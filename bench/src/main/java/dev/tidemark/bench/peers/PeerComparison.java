package dev.tidemark.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tidemark.bench.BenchFiles;
import dev.tidemark.bench.peers.ComparisonResults.Figure;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.JavaFlightRecorderProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The whole peer comparison in one command: checks every engine, runs the db_bench set, the durable commit scaling
 * with the disk's floor, YCSB and the memory column, profiles Tidemark with JFR wherever a peer beats it, and
 * writes {@code results.json}, {@code README.md} and PNG charts into the output directory ({@link ResultsPage}).
 * The committed results in {@code docs/benchmarks} are what this wrote.
 *
 * <p>Arguments are {@code name=value}, all optional: {@code out} (docs/benchmarks), {@code peers} (all),
 * {@code entries} (1000000), {@code ycsbRecords} (1000000), {@code ycsbSeconds} (5), {@code threads}
 * (1,4,16,64), {@code quick=true} (20,000 entries and the shortest iterations: a smoke test of the pipeline whose
 * figures mean nothing), {@code pageOnly=true} (measure nothing: rewrite the page and charts from the
 * {@code results.json} in {@code out}, after its {@code hypotheses.properties} changed). Run it through
 * {@code bench/compare-peers}.
 */
public final class PeerComparison
{
    static final String HEAP = "-Xmx3g";
    /** The memory probe's heap: room for the on-heap caches of JE and H2 ({@link Peer#CACHE_BYTES}), no more. */
    static final String PROBE_HEAP = "-Xmx1g";
    private static final List<String> KEY_TYPES = List.of("int4", "string16");

    private final Path out;
    private final List<Peer> peers;
    private final int entries;
    private final int ycsbRecords;
    private final int ycsbSeconds;
    private final List<Integer> threads;
    private final boolean quick;
    private final Path work;
    private final ComparisonResults results = new ComparisonResults();
    private final long started = System.nanoTime();

    private PeerComparison(final Map<String, String> options)
    {
        out = Path.of(options.getOrDefault("out", "docs/benchmarks"));
        quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        peers = Stream.of(options.getOrDefault("peers", allPeers()).split(",")).map(Peer::byId)
            .collect(Collectors.toList());
        entries = Integer.parseInt(options.getOrDefault("entries", quick ? "20000" : "1000000"));
        ycsbRecords = Integer.parseInt(options.getOrDefault("ycsbRecords", quick ? "20000" : "1000000"));
        ycsbSeconds = Integer.parseInt(options.getOrDefault("ycsbSeconds", quick ? "1" : "5"));
        threads = Stream.of(options.getOrDefault("threads", "1,4,16,64").split(",")).map(Integer::valueOf)
            .collect(Collectors.toList());
        work = BenchFiles.newDirectory("tidemark-peer-comparison");
    }

    public static void main(final String[] args) throws Exception
    {
        System.setProperty("java.awt.headless", "true");
        final Map<String, String> options = new LinkedHashMap<>();
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            if (equals < 0)
            {
                throw new IllegalArgumentException("arguments are name=value (out, peers, entries, ycsbRecords, "
                    + "ycsbSeconds, threads, quick): " + arg);
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        if (Boolean.parseBoolean(options.getOrDefault("pageOnly", "false")))
        {
            // rewrite the page and charts from the results.json a run left (after editing hypotheses.properties)
            final Path out = Path.of(options.getOrDefault("out", "docs/benchmarks"));
            new ResultsPage(new ObjectMapper().readValue(out.resolve("results.json").toFile(),
                ComparisonResults.class), out).write();
            return;
        }
        final PeerComparison comparison = new PeerComparison(options);
        try
        {
            comparison.run();
        }
        finally
        {
            BenchFiles.deleteRecursively(comparison.work);
        }
    }

    private static String allPeers()
    {
        return Stream.of(Peer.values()).map(Peer::id).collect(Collectors.joining(","));
    }

    private void run() throws Exception
    {
        Files.createDirectories(out);
        recordEnvironment();
        final List<Peer> checked = check();
        final String timed = checked.stream().map(Peer::id).collect(Collectors.joining(","));
        if (checked.isEmpty())
        {
            throw new IllegalStateException("no engine passed its correctness check: " + results.failures);
        }
        log("db_bench writes");
        dbBench(PeerWriteBenchmark.class, List.of("writeSequential", "writeRandom"), timed);
        log("db_bench reads");
        dbBench(PeerReadBenchmark.class, List.of("readKeySequential", "readKeyRandom", "readSeq", "readReverse"),
            timed);
        log("durable commit scaling");
        for (final int count : threads)
        {
            commits(count, timed);
        }
        log("memory column");
        for (final Peer peer : checked)
        {
            memory(peer);
        }
        log("YCSB");
        for (final Peer peer : checked)
        {
            ycsb(peer, null);
        }
        if (checked.contains(Peer.TIDEMARK))
        {
            log("profiles of Tidemark where a peer is ahead");
            profileWhereBehind();
        }
        results.elapsedMinutes = (System.nanoTime() - started) / 60e9;
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(out.resolve("results.json").toFile(), results);
        new ResultsPage(results, out).write();
        log("wrote " + out.resolve("README.md") + " in " + String.format("%.1f", results.elapsedMinutes)
            + " minutes");
    }

    private void recordEnvironment() throws IOException
    {
        final Map<String, Object> environment = results.environment;
        environment.put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        environment.put("cpus", Runtime.getRuntime().availableProcessors());
        environment.put("cpuModel", procLine("/proc/cpuinfo", "model name"));
        environment.put("memory", procLine("/proc/meminfo", "MemTotal"));
        environment.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"));
        environment.put("commit", gitCommit());
        environment.put("scratchDirectory", System.getProperty("tidemark.bench.dir") != null
            ? "tidemark.bench.dir" : "the system temporary directory (set tidemark.bench.dir to change it)");
        final Map<String, Object> settings = results.settings;
        settings.put("entries", entries);
        settings.put("keyTypes", "int4 (4-byte big-endian int), string16 (16 ASCII digits); values 100 B");
        settings.put("batch", PeerData.BATCH + " entries per durable transaction in the db_bench writes and loads");
        settings.put("cacheBytes", Peer.CACHE_BYTES);
        settings.put("compression", "off in every engine");
        settings.put("forkHeap", HEAP);
        settings.put("memoryProbeHeap", PROBE_HEAP);
        settings.put("writeIterations", "1 single-shot load of every entry, no warmup (no error bar)");
        settings.put("readIterations", quick ? "1 x 1 s" : "1 x 1 s warmup + 3 x 1 s measured");
        settings.put("commitIterations", quick ? "1 x 1 s" : "1 x 1 s warmup + 3 x 2 s measured");
        settings.put("commitThreads", threads);
        settings.put("ycsbRecords", ycsbRecords);
        settings.put("ycsbRecord", "1 field of 100 B (YCSB's default is 10)");
        settings.put("ycsbDistribution", "zipfian; insertorder hashed; E: scans of up to 100, uniform lengths");
        settings.put("ycsbRun", "1 s warmup + " + ycsbSeconds + " s measured per workload and thread count");
        settings.put("ycsbThreads", List.of(2, 16));
        settings.put("quick", quick);
    }

    /** @return the commit of the working tree measured (with "+changes" when it has uncommitted ones), if any */
    private static String gitCommit()
    {
        try
        {
            final Process head = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").start();
            final String commit = new String(head.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            final Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no",
                "--", ".", ":!docs/benchmarks").start();
            final String changes = new String(status.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!head.waitFor(30, TimeUnit.SECONDS) || head.exitValue() != 0 || !status.waitFor(30, TimeUnit.SECONDS))
            {
                return "unknown";
            }
            return changes.isBlank() ? commit : commit + "+changes";
        }
        catch (final IOException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String procLine(final String file, final String prefix) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.US_ASCII))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                if (line.startsWith(prefix))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return "unknown";
    }

    private List<Peer> check() throws IOException
    {
        final List<Peer> passed = new ArrayList<>();
        for (final Peer peer : peers)
        {
            final Path directory = Files.createDirectories(work.resolve("check-" + peer.id()));
            String failure = null;
            try
            {
                PeerCheck.check(peer, directory);
                passed.add(peer);
            }
            catch (final RuntimeException ex)
            {
                failure = ex.toString();
                results.failures.add(peer.displayName() + " correctness check: " + failure);
            }
            results.engines.add(new ComparisonResults.Engine(peer.id(), peer.displayName(), peer.artifact(),
                peer.durableSetting(), failure == null, failure));
            log(peer.displayName() + (failure == null ? " passed" : " FAILED") + " the correctness check");
        }
        return passed;
    }

    private ChainedOptionsBuilder jmh(final Class<?> benchmark, final List<String> methods)
    {
        final String include = benchmark.getName().replace(".", "\\.") + "\\.("
            + String.join("|", methods) + ")$";
        final List<String> jvmArgs = new ArrayList<>(List.of(HEAP,
            "-D" + PeerFixtures.PROPERTY + "=" + work.resolve("fixtures")));
        jvmArgs.addAll(scratchProperty());
        return new OptionsBuilder()
            .include(include)
            .forks(1)
            .jvmArgsAppend(jvmArgs.toArray(new String[0]))
            .shouldFailOnError(false);
    }

    private void dbBench(
        final Class<?> benchmark, final List<String> methods, final String timed)
        throws RunnerException
    {
        final boolean writes = benchmark == PeerWriteBenchmark.class;
        final ChainedOptionsBuilder options = jmh(benchmark, methods)
            .param("peer", timed.split(","))
            .param("keyType", KEY_TYPES.toArray(new String[0]))
            .param("entries", Integer.toString(entries));
        if (writes)
        {
            // one load of every entry per engine, key type and order: MapDB's alone takes a minute
            options.warmupIterations(0).measurementIterations(1);
        }
        else
        {
            options.warmupIterations(quick ? 0 : 1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 3).measurementTime(TimeValue.seconds(1));
        }
        for (final RunResult result : run(options, methods,
            methods.size() * timed.split(",").length * KEY_TYPES.size()))
        {
            final String workload = method(result);
            final String peer = result.getParams().getParam("peer");
            final String keyType = result.getParams().getParam("keyType");
            final double score = result.getPrimaryResult().getScore();
            final double error = result.getPrimaryResult().getScoreError();
            if (writes)
            {
                // single-shot: seconds per load of every entry
                results.figures.add(new Figure(ComparisonResults.DB_BENCH, workload, keyType, peer,
                    entries / score, entries / score * error / score, "entries/s"));
            }
            else if (workload.startsWith("readKey"))
            {
                results.figures.add(new Figure(ComparisonResults.DB_BENCH, workload, keyType, peer, score, error,
                    "entries/s"));
            }
            else
            {
                results.figures.add(new Figure(ComparisonResults.DB_BENCH, workload, keyType, peer,
                    score * entries, error * entries, "entries/s"));
            }
        }
    }

    private void commits(final int count, final String timed) throws RunnerException
    {
        final ChainedOptionsBuilder options = jmh(PeerCommitBenchmark.class, List.of("commit", "appendForce"))
            .param("peer", timed.split(","))
            .threads(count)
            .warmupIterations(quick ? 0 : 1).warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 1 : 3).measurementTime(TimeValue.seconds(quick ? 1 : 2));
        for (final RunResult result : run(options, List.of("commit", "appendForce"),
            timed.split(",").length + 1))
        {
            final String peer = method(result).equals("appendForce")
                ? ComparisonResults.DISK
                : result.getParams().getParam("peer");
            results.figures.add(new Figure(ComparisonResults.COMMIT, "commit", Integer.toString(count), peer,
                result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError(), "commits/s"));
        }
    }

    private Collection<RunResult> run(final ChainedOptionsBuilder options, final List<String> what, final int expected)
        throws RunnerException
    {
        final Collection<RunResult> runs = new Runner(options.build()).run();
        if (runs.size() != expected)
        {
            results.failures.add("JMH " + what + ": " + runs.size() + " of " + expected
                + " trials gave a result; the others failed (see the command's output)");
        }
        return runs;
    }

    private static String method(final RunResult result)
    {
        final String benchmark = result.getParams().getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    private void memory(final Peer peer) throws IOException, InterruptedException
    {
        final Path report = work.resolve("memory-" + peer.id() + ".json");
        if (child(PROBE_HEAP, MemoryProbe.class, peer.id(), Integer.toString(entries), report.toString()))
        {
            final JsonNode json = new ObjectMapper().readTree(report.toFile());
            results.memory.add(new ComparisonResults.Memory(peer.id(), json.get("entries").asLong(),
                json.get("peakRssBytes").asLong(), json.get("diskAllocatedBytes").asLong(),
                json.get("diskFileBytes").asLong()));
        }
        else
        {
            results.failures.add(peer.displayName() + " memory probe failed (see the command's output)");
        }
    }

    private void ycsb(final Peer peer, final List<String> profile) throws IOException, InterruptedException
    {
        final Path report = work.resolve("ycsb-" + peer.id() + (profile == null ? "" : "-profile") + ".json");
        final List<String> args = new ArrayList<>(List.of("peer=" + peer.id(), "out=" + report,
            "records=" + ycsbRecords, "seconds=" + ycsbSeconds, "warmup=1", "threads=2,16",
            "workloads=A,B,C,F,E"));
        if (profile != null)
        {
            args.add("profile=" + String.join(",", profile));
            args.add("profileDir=" + work);
        }
        if (!child(HEAP, YcsbRunner.class, args.toArray(new String[0])))
        {
            results.failures.add(peer.displayName() + " YCSB " + (profile == null ? "run" : "profile")
                + " failed (see the command's output)");
            return;
        }
        final JsonNode json = new ObjectMapper().readTree(report.toFile());
        for (final JsonNode run : json.get("runs"))
        {
            final String workload = run.get("workload").asText();
            final String variant = run.get("threads").asText();
            if (profile == null)
            {
                results.figures.add(new Figure(ComparisonResults.YCSB, workload, variant, peer.id(),
                    run.get("opsPerSecond").asDouble(), Double.NaN, "ops/s"));
            }
            else
            {
                final Path recording = work.resolve(run.get("profile").asText());
                results.profiles.add(new ComparisonResults.Profile(ComparisonResults.YCSB, workload, variant,
                    recording.getFileName().toString(), JfrSummary.of(recording)));
            }
        }
    }

    private boolean child(final String heap, final Class<?> main, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap));
        command.addAll(scratchProperty());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(30, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    /** Profiles Tidemark (JFR) in every workload and variant where some peer's figure is higher. */
    private void profileWhereBehind() throws Exception
    {
        final List<Figure> behind = behind(results);
        final List<String> ycsbRuns = new ArrayList<>();
        for (final Figure figure : behind)
        {
            switch (figure.section())
            {
                case ComparisonResults.DB_BENCH -> profileJmh(figure, figure.workload().startsWith("write")
                    ? PeerWriteBenchmark.class : PeerReadBenchmark.class);
                case ComparisonResults.COMMIT -> profileJmh(figure, PeerCommitBenchmark.class);
                default -> ycsbRuns.add(figure.workload() + "/" + figure.variant());
            }
        }
        if (!ycsbRuns.isEmpty())
        {
            ycsb(Peer.TIDEMARK, ycsbRuns);
        }
    }

    /** @return Tidemark's figures that some peer beats */
    static List<Figure> behind(final ComparisonResults results)
    {
        final List<Figure> behind = new ArrayList<>();
        for (final Figure figure : results.figures)
        {
            if (!figure.peer().equals(Peer.TIDEMARK.id()))
            {
                continue;
            }
            final Optional<Figure> best = best(results, figure);
            if (best.isPresent() && best.get().value() > figure.value())
            {
                behind.add(figure);
            }
        }
        return behind;
    }

    /** @return the best peer's figure (the disk floor not counted) in the workload and variant of {@code figure} */
    static Optional<Figure> best(final ComparisonResults results, final Figure figure)
    {
        return results.figures.stream()
            .filter(f -> f.section().equals(figure.section()) && f.workload().equals(figure.workload())
                && f.variant().equals(figure.variant()) && !f.peer().equals(Peer.TIDEMARK.id())
                && !f.peer().equals(ComparisonResults.DISK))
            .max(Comparator.comparingDouble(Figure::value));
    }

    private void profileJmh(final Figure figure, final Class<?> benchmark) throws Exception
    {
        final Path directory = Files.createDirectories(
            work.resolve("jfr-" + figure.section() + "-" + figure.workload() + "-" + figure.variant()));
        final ChainedOptionsBuilder options = jmh(benchmark, List.of(figure.workload()))
            .param("peer", Peer.TIDEMARK.id())
            .addProfiler(JavaFlightRecorderProfiler.class, "dir=" + directory);
        if (figure.section().equals(ComparisonResults.COMMIT))
        {
            options.threads(Integer.parseInt(figure.variant()))
                .warmupIterations(1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(1).measurementTime(TimeValue.seconds(quick ? 1 : 4));
        }
        else
        {
            options.param("keyType", figure.variant()).param("entries", Integer.toString(entries));
            if (benchmark == PeerWriteBenchmark.class)
            {
                options.warmupIterations(0).measurementIterations(1);
            }
            else
            {
                options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(1).measurementTime(TimeValue.seconds(quick ? 1 : 4));
            }
        }
        new Runner(options.build()).run();
        final Optional<Path> recording;
        try (Stream<Path> files = Files.walk(directory))
        {
            recording = files.filter(file -> file.toString().endsWith(".jfr")).findFirst();
        }
        if (recording.isEmpty())
        {
            results.failures.add("no JFR recording for " + figure.workload() + " " + figure.variant());
            return;
        }
        results.profiles.add(new ComparisonResults.Profile(figure.section(), figure.workload(), figure.variant(),
            recording.get().getFileName().toString(), JfrSummary.of(recording.get())));
    }

    /** @return the scratch-directory property for the forked JVMs, when this one was given it */
    private static List<String> scratchProperty()
    {
        final String scratch = System.getProperty("tidemark.bench.dir");
        return scratch == null ? List.of() : List.of("-Dtidemark.bench.dir=" + scratch);
    }

    private void log(final String message)
    {
        System.out.printf("%n[peer comparison, %.1f min] %s%n%n", (System.nanoTime() - started) / 60e9, message);
        System.out.flush();
    }
}
