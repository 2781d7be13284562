package dev.tidemark.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.bench.peers.ComparisonResults.Figure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsPageTest
{
    @TempDir
    Path out;

    private static ComparisonResults results()
    {
        final ComparisonResults results = new ComparisonResults();
        results.environment.put("date", "2026-12-03T00:00:00Z");
        results.settings.put("entries", 1000);
        for (final Peer peer : List.of(Peer.TIDEMARK, Peer.LMDB, Peer.ROCKSDB))
        {
            results.engines.add(new ComparisonResults.Engine(peer.id(), peer.displayName(), peer.artifact(),
                peer.durableSetting(), true, null));
        }
        results.figures.add(new Figure(ComparisonResults.DB_BENCH, "readKeyRandom", "int4", "tidemark", 100, 1, "e"));
        results.figures.add(new Figure(ComparisonResults.DB_BENCH, "readKeyRandom", "int4", "lmdb", 200, 1, "e"));
        results.figures.add(new Figure(ComparisonResults.DB_BENCH, "readKeyRandom", "int4", "rocksdb", 50, 1, "e"));
        results.figures.add(new Figure(ComparisonResults.COMMIT, "commit", "4", "tidemark", 900, 1, "c"));
        results.figures.add(new Figure(ComparisonResults.COMMIT, "commit", "4", "lmdb", 300, 1, "c"));
        results.figures.add(new Figure(ComparisonResults.COMMIT, "commit", "4", ComparisonResults.DISK, 5000, 1, "c"));
        return results;
    }

    @Test
    void tidemarkIsBehindOnlyWherePeerIsFasterAndTheDiskFloorIsNoPeer()
    {
        final ComparisonResults results = results();

        final List<Figure> behind = PeerComparison.behind(results);

        assertThat(behind).extracting(Figure::workload).containsExactly("readKeyRandom");
        assertThat(PeerComparison.best(results, behind.get(0)).orElseThrow().peer()).isEqualTo("lmdb");
    }

    @Test
    void pageNamesWhereTidemarkIsBehindWithItsHypothesisAndRatios() throws Exception
    {
        Files.writeString(out.resolve("hypotheses.properties"), "dbbench.readKeyRandom=every get begins a txn\n");

        new ResultsPage(results(), out).write();

        final String page = Files.readString(out.resolve("README.md"));
        assertThat(page)
            .contains("### db_bench readKeyRandom, int4 keys: LMDB is 2.00x faster")
            .contains("Hypothesis: every get begins a txn")
            .contains("| readKeyRandom | 100 | 200 | 50.0 | 0.50 |")
            .contains("| 4 | 900 | 300 | failed | 5,000 | 3.00 |");
        assertThat(out.resolve("dbbench-int4.png")).isNotEmptyFile();
        assertThat(out.resolve("commit.png")).isNotEmptyFile();
    }
}
