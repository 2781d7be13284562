package dev.tidemark.bench.peers;

import dev.tidemark.bench.peers.ComparisonResults.Figure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes the comparison's results page ({@code README.md}) and its PNG charts from a {@link ComparisonResults}.
 * The page says plainly where Tidemark is behind, with the profile of each such case and the one-line hypothesis
 * kept for it in {@code hypotheses.properties} beside the page (keys {@code dbbench.<workload>},
 * {@code commit}, {@code ycsb.<workload>}), written by whoever reads the profiles.
 */
final class ResultsPage
{
    static final List<String> DB_BENCH_WORKLOADS =
        List.of("writeSequential", "writeRandom", "readKeySequential", "readKeyRandom", "readSeq", "readReverse");
    static final List<String> YCSB_WORKLOADS = List.of("A", "B", "C", "F", "E");
    private static final List<String> KEY_TYPES = List.of("int4", "string16");

    private final ComparisonResults results;
    private final Path out;
    private final List<String> peers;
    private final Properties hypotheses = new Properties();
    private final StringBuilder page = new StringBuilder();

    ResultsPage(final ComparisonResults results, final Path out) throws IOException
    {
        this.results = results;
        this.out = out;
        this.peers = results.engines.stream().filter(ComparisonResults.Engine::checked)
            .map(ComparisonResults.Engine::id).collect(Collectors.toList());
        final Path file = out.resolve("hypotheses.properties");
        if (Files.exists(file))
        {
            try (InputStream in = Files.newInputStream(file))
            {
                hypotheses.load(in);
            }
        }
    }

    void write() throws IOException
    {
        header();
        dbBench();
        commits();
        ycsb();
        memory();
        behind();
        rerun();
        Files.writeString(out.resolve("README.md"), page.toString(), StandardCharsets.UTF_8);
    }

    private void header()
    {
        final var env = results.environment;
        line("# Tidemark against its peers");
        line("");
        line("Written by `bench/compare-peers` on " + env.get("date")
            + (env.containsKey("commit") ? " (Tidemark at commit `" + env.get("commit") + "`)" : "") + " in "
            + String.format(Locale.ROOT, "%.0f", results.elapsedMinutes) + " minutes, on " + env.get("cpus")
            + " CPUs (" + env.get("cpuModel") + "), " + env.get("memory") + " of memory, " + env.get("jvm") + ", "
            + env.get("os") + ". Every figure below comes from that one run, so the ratios between engines are "
            + "fair even on a noisy machine; the absolute figures are this machine's. Higher is better "
            + "everywhere but in the memory column. Every setting is in [results.json](results.json).");
        line("");
        if (Boolean.TRUE.equals(results.settings.get("quick")))
        {
            line("**This was a quick run (`quick=true`): its figures test the pipeline and mean nothing.**");
            line("");
        }
        line("## The engines");
        line("");
        line("| Engine | Library | Durable setting | Differences to keep in mind | Correctness check |");
        line("|---|---|---|---|---|");
        for (final ComparisonResults.Engine engine : results.engines)
        {
            final Peer peer = Peer.byId(engine.id());
            line("| " + engine.name() + " | `" + peer.artifact() + "` | " + engine.durableSetting() + " | "
                + peer.caveats() + " | "
                + (engine.checked() ? "passed" : "**failed**: " + engine.checkFailure() + " (not timed)") + " |");
        }
        line("");
        line("Every write is a transaction made durable (forced to disk) before it returns, in every engine. "
            + "Compression is off everywhere; every engine with a cache of its own gets "
            + (Peer.CACHE_BYTES >> 20) + " MiB. Each engine runs in a JVM of its own for every trial and YCSB run, "
            + "all with `" + results.settings.get("forkHeap") + "`.");
        line("");
        if (!results.failures.isEmpty())
        {
            line("**Failures in this run:**");
            line("");
            for (final String failure : results.failures)
            {
                line("- " + failure);
            }
            line("");
        }
    }

    private void dbBench() throws IOException
    {
        line("## db_bench set: " + results.settings.get("entries") + " entries, 100 B values");
        line("");
        line("Writes load every entry into an empty store in durable transactions of " + PeerData.BATCH
            + " entries, in key order (`writeSequential`) or a fixed random order (`writeRandom`), once per engine "
            + "and key type (a single timing: no error bar). Reads run on "
            + "a store loaded once in random order: `readKeySequential` gets every key in key order, one read "
            + "transaction per get; `readKeyRandom` gets random keys; `readSeq` and `readReverse` read every "
            + "entry in one ascending or descending scan. Single-threaded. Entries per second; the last column "
            + "is Tidemark's figure over the best peer's.");
        line("");
        for (final String keyType : KEY_TYPES)
        {
            line("### " + (keyType.equals("int4") ? "4-byte int keys" : "16-byte string keys"));
            line("");
            tableAndChart("Workload", DB_BENCH_WORKLOADS, w -> ComparisonResults.DB_BENCH, w -> w, w -> keyType,
                peers, "dbbench-" + keyType + ".png", "db_bench, " + keyType + " keys, 100 B values", "entries/s");
        }
    }

    private void commits() throws IOException
    {
        line("## Durable one-key commits");
        line("");
        line("Each thread writes a 100 B value under a random one of 1 M keys, each write a durable transaction of "
            + "its own; the store starts empty. `disk` is the floor without group commit: each thread appends "
            + "128 B to one file and forces it (`FileChannel.force`). Commits per second.");
        line("");
        final List<String> counts = results.figures.stream()
            .filter(f -> f.section().equals(ComparisonResults.COMMIT)).map(Figure::variant).distinct()
            .sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
            .collect(Collectors.toList());
        final List<String> columns = new ArrayList<>(peers);
        columns.add(ComparisonResults.DISK);
        tableAndChart("Threads", counts, t -> ComparisonResults.COMMIT, t -> "commit", t -> t, columns,
            "commit.png", "Durable one-key commits", "commits/s");
    }

    private void ycsb() throws IOException
    {
        line("## YCSB core workloads: " + results.settings.get("ycsbRecords") + " records");
        line("");
        line("YCSB 0.17.0's own workloads and client threads through a binding per engine "
            + "(`YcsbBinding`): " + results.settings.get("ycsbRecord") + ", " + results.settings.get("ycsbDistribution")
            + "; " + results.settings.get("ycsbRun") + ". Every read, update, insert and scan is a transaction of "
            + "its own and every write is durable. A: 50% reads, 50% updates; B: 95/5; C: reads only; F: 50% "
            + "reads, 50% read-modify-writes; E: 95% scans, 5% inserts (run last). Operations per second.");
        line("");
        for (final String clients : List.of("2", "16"))
        {
            line("### " + clients + " client threads");
            line("");
            tableAndChart("Workload", YCSB_WORKLOADS, w -> ComparisonResults.YCSB, w -> w, w -> clients, peers,
                "ycsb-" + clients + ".png", "YCSB, " + clients + " client threads", "ops/s");
        }
    }

    private void memory() throws IOException
    {
        line("## Memory and disk");
        line("");
        line("One process per engine (the same `" + results.settings.get("memoryProbeHeap") + "` for all) loads "
            + results.settings.get("entries") + " entries (16-byte keys, 100 B values, random order, durable "
            + "batches), reads each once and closes. "
            + "Peak RSS is the process's high-water mark (`VmHWM`): the JVM and its heap included, plus the "
            + "engine's native memory and mapped pages. Disk is what `du` counts (allocated blocks) after the "
            + "close; file bytes are the files' lengths. Lower is better.");
        line("");
        line("| Engine | Peak RSS (MiB) | Disk (MiB) | File bytes (MiB) |");
        line("|---|---:|---:|---:|");
        final List<String> names = new ArrayList<>();
        final List<Number> rss = new ArrayList<>();
        final List<Number> disk = new ArrayList<>();
        for (final ComparisonResults.Memory memory : results.memory)
        {
            line("| " + Peer.byId(memory.peer()).displayName() + " | " + mib(memory.peakRssBytes()) + " | "
                + mib(memory.diskAllocatedBytes()) + " | " + mib(memory.diskFileBytes()) + " |");
            names.add(Peer.byId(memory.peer()).displayName());
            rss.add(memory.peakRssBytes() / (double)(1 << 20));
            disk.add(memory.diskAllocatedBytes() / (double)(1 << 20));
        }
        line("");
        if (!names.isEmpty())
        {
            final CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
                .title("Peak RSS and disk after load").xAxisTitle("engine").yAxisTitle("MiB").build();
            style(chart, false);
            chart.addSeries("peak RSS", names, rss);
            chart.addSeries("disk (du)", names, disk);
            BitmapEncoder.saveBitmap(chart, out.resolve("memory.png").toString(), BitmapEncoder.BitmapFormat.PNG);
            line("![memory](memory.png)");
            line("");
        }
    }

    private void behind()
    {
        line("## Where Tidemark is behind");
        line("");
        final List<Figure> behind = PeerComparison.behind(results);
        final List<String> memory = memoryBehind();
        if (behind.isEmpty() && memory.isEmpty())
        {
            line("Nowhere in this run.");
            line("");
            return;
        }
        for (final String text : memory)
        {
            line(text);
            line("");
        }
        if (behind.isEmpty())
        {
            return;
        }
        line("Every workload where some peer is faster than Tidemark, with a JFR profile of Tidemark in that "
            + "workload (a separate, shorter run: execution samples of every thread, so the benchmark harness "
            + "and the engines' background threads are in it) and a one-line hypothesis of why.");
        line("");
        for (final Figure figure : behind)
        {
            final Figure best = PeerComparison.best(results, figure).orElseThrow();
            line("### " + title(figure) + ": " + Peer.byId(best.peer()).displayName() + " is "
                + String.format(Locale.ROOT, "%.2f", best.value() / figure.value()) + "x faster");
            line("");
            line("Tidemark " + number(figure.value()) + " " + figure.unit() + "; ahead of it: "
                + aheadOf(figure) + ".");
            line("");
            final String key = figure.section() + (figure.section().equals(ComparisonResults.COMMIT)
                ? "" : "." + figure.workload());
            line("Hypothesis: " + hypotheses.getProperty(key, "none written yet (key `" + key
                + "` in hypotheses.properties)."));
            line("");
            final Optional<ComparisonResults.Profile> profile = results.profiles.stream()
                .filter(p -> p.section().equals(figure.section()) && p.workload().equals(figure.workload())
                    && p.variant().equals(figure.variant()))
                .findFirst();
            if (profile.isEmpty())
            {
                line("No profile was recorded for it in this run.");
                line("");
                continue;
            }
            final JfrSummary summary = profile.get().summary();
            line("<details><summary>Profile: " + summary.samples() + " samples</summary>");
            line("");
            line("| Self (top of stack) | % | Tidemark methods on the stack | % |");
            line("|---|---:|---|---:|");
            for (int i = 0; i < Math.max(summary.self().size(), summary.tidemark().size()); i++)
            {
                final String self = i < summary.self().size()
                    ? "`" + summary.self().get(i).method() + "` | " + percent(summary.self().get(i).percent())
                    : " | ";
                final String mine = i < summary.tidemark().size()
                    ? "`" + summary.tidemark().get(i).method() + "` | "
                        + percent(summary.tidemark().get(i).percent())
                    : " | ";
                line("| " + self + " | " + mine + " |");
            }
            line("");
            line("</details>");
            line("");
        }
    }

    /** @return a paragraph for each memory figure where some peer needs less than Tidemark */
    private List<String> memoryBehind()
    {
        final List<String> paragraphs = new ArrayList<>();
        final Optional<ComparisonResults.Memory> mine = results.memory.stream()
            .filter(m -> m.peer().equals(Peer.TIDEMARK.id())).findFirst();
        if (mine.isEmpty())
        {
            return paragraphs;
        }
        memoryBehind(paragraphs, "Peak RSS", "memory.rss", mine.get().peakRssBytes(),
            ComparisonResults.Memory::peakRssBytes);
        memoryBehind(paragraphs, "Disk after the load", "memory.disk", mine.get().diskAllocatedBytes(),
            ComparisonResults.Memory::diskAllocatedBytes);
        return paragraphs;
    }

    private void memoryBehind(
        final List<String> paragraphs,
        final String what,
        final String key,
        final long tidemark,
        final java.util.function.ToLongFunction<ComparisonResults.Memory> figure)
    {
        final String less = results.memory.stream()
            .filter(m -> !m.peer().equals(Peer.TIDEMARK.id()) && figure.applyAsLong(m) < tidemark)
            .sorted(java.util.Comparator.comparingLong(figure))
            .map(m -> Peer.byId(m.peer()).displayName() + " " + mib(figure.applyAsLong(m)) + " MiB")
            .collect(Collectors.joining(", "));
        if (!less.isEmpty())
        {
            paragraphs.add("### " + what + ": Tidemark " + mib(tidemark) + " MiB; less: " + less + "\n\nHypothesis: "
                + hypotheses.getProperty(key, "none written yet (key `" + key + "` in hypotheses.properties)."));
        }
    }

    private String aheadOf(final Figure figure)
    {
        return results.figures.stream()
            .filter(f -> f.section().equals(figure.section()) && f.workload().equals(figure.workload())
                && f.variant().equals(figure.variant()) && !f.peer().equals(Peer.TIDEMARK.id())
                && !f.peer().equals(ComparisonResults.DISK) && f.value() > figure.value())
            .sorted((a, b) -> Double.compare(b.value(), a.value()))
            .map(f -> Peer.byId(f.peer()).displayName() + " " + number(f.value()))
            .collect(Collectors.joining(", "));
    }

    private static String title(final Figure figure)
    {
        return switch (figure.section())
        {
            case ComparisonResults.DB_BENCH -> "db_bench " + figure.workload() + ", " + figure.variant() + " keys";
            case ComparisonResults.COMMIT -> "Durable commits at " + figure.variant() + " threads";
            default -> "YCSB " + figure.workload() + " at " + figure.variant() + " client threads";
        };
    }

    private void rerun()
    {
        line("## Rerunning");
        line("");
        line("`bench/compare-peers` builds the benchmarks and runs everything above (about "
            + String.format(Locale.ROOT, "%.0f", results.elapsedMinutes) + " minutes here), writing this page, "
            + "`results.json` and the charts into `docs/benchmarks/`. `bench/compare-peers peers=tidemark,rocksdb` "
            + "compares fewer engines; `quick=true` checks the pipeline in a few minutes. The single benchmarks run "
            + "on their own with JMH: `java -jar bench/target/benchmarks.jar 'PeerReadBenchmark' -p peer=tidemark,"
            + "lmdb`, `PeerWriteBenchmark`, `PeerCommitBenchmark -t 16`; YCSB with `java -cp "
            + "bench/target/benchmarks.jar dev.tidemark.bench.peers.YcsbRunner peer=tidemark out=ycsb.json`. The "
            + "hypotheses come from `hypotheses.properties`, written after reading a run's profiles; "
            + "`bench/compare-peers pageOnly=true` rewrites this page and the charts from `results.json` without "
            + "measuring anything.");
    }

    private interface Field
    {
        String of(String row);
    }

    /** A table of figures (rows by columns), then the same figures as a bar chart in {@code file}, when any. */
    private void tableAndChart(
        final String rowTitle,
        final List<String> rows,
        final Field section,
        final Field workload,
        final Field variant,
        final List<String> columns,
        final String file,
        final String title,
        final String unit) throws IOException
    {
        table(rowTitle, rows, section, workload, variant, columns);
        if (chart(file, title, unit, rows, section, workload, variant, columns))
        {
            line("![" + title + "](" + file + ")");
            line("");
        }
    }

    private void table(
        final String rowTitle,
        final List<String> rows,
        final Field section,
        final Field workload,
        final Field variant,
        final List<String> columns)
    {
        final StringBuilder head = new StringBuilder("| " + rowTitle + " |");
        final StringBuilder rule = new StringBuilder("|---|");
        for (final String column : columns)
        {
            head.append(' ').append(column.equals(ComparisonResults.DISK)
                ? "disk floor" : Peer.byId(column).displayName()).append(" |");
            rule.append("---:|");
        }
        head.append(" Tidemark / best peer |");
        rule.append("---:|");
        line(head.toString());
        line(rule.toString());
        for (final String row : rows)
        {
            final StringBuilder text = new StringBuilder("| " + row + " |");
            Figure tidemark = null;
            for (final String column : columns)
            {
                final Optional<Figure> figure =
                    results.figure(section.of(row), workload.of(row), variant.of(row), column);
                text.append(' ').append(figure.map(f -> number(f.value())).orElse("failed")).append(" |");
                if (column.equals(Peer.TIDEMARK.id()) && figure.isPresent())
                {
                    tidemark = figure.get();
                }
            }
            final Figure mine = tidemark;
            final String ratio = mine == null ? "" : PeerComparison.best(results, mine)
                .map(best -> String.format(Locale.ROOT, "%.2f", mine.value() / best.value())).orElse("");
            text.append(' ').append(ratio).append(" |");
            line(text.toString());
        }
        line("");
    }

    /** @return whether the chart was written (there was at least one figure to draw) */
    private boolean chart(
        final String file,
        final String title,
        final String unit,
        final List<String> rows,
        final Field section,
        final Field workload,
        final Field variant,
        final List<String> columns) throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(1000).height(500)
            .title(title).yAxisTitle(unit + " (log scale)").build();
        style(chart, true);
        double least = Double.MAX_VALUE;
        for (final String column : columns)
        {
            final List<Number> values = new ArrayList<>();
            for (final String row : rows)
            {
                final Optional<Figure> figure = results.figure(section.of(row), workload.of(row), variant.of(row),
                    column);
                values.add(figure.map(f -> (Number)f.value()).orElse(null));
                if (figure.isPresent())
                {
                    least = Math.min(least, figure.get().value());
                }
            }
            chart.addSeries(column.equals(ComparisonResults.DISK) ? "disk floor" : Peer.byId(column).displayName(),
                rows, values);
        }
        if (least == Double.MAX_VALUE)
        {
            return false;
        }
        // bars start at the axis minimum: a power of ten below the least figure (a log axis cannot start at 0)
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
        BitmapEncoder.saveBitmap(chart, out.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }

    private static void style(final CategoryChart chart, final boolean logarithmic)
    {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setXAxisLabelRotation(12);
    }

    private static String number(final double value)
    {
        if (value >= 100)
        {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String percent(final double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String mib(final long bytes)
    {
        return String.format(Locale.ROOT, "%,.0f", bytes / (double)(1 << 20));
    }

    private void line(final String text)
    {
        page.append(text).append('\n');
    }
}
