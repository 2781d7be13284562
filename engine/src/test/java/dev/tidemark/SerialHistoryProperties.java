package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.history.CheckResult;
import dev.tidemark.history.History;
import dev.tidemark.history.HistoryChecker;
import dev.tidemark.history.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Serial list-append histories (one thread, each transaction after the previous one ended) at every level: none
 * may abort (BRIEF §3: a serial history never aborts), and the checker must find nothing and place every read.
 * jqwik shrinks a failing history to a short one.
 */
class SerialHistoryProperties
{
    /** A serial history: one thread, each transaction after the previous one ended. It must never abort. */
    @Property(tries = 30)
    void shouldNeverAbortASerialHistory(@ForAll final IsolationLevel level,
        @ForAll("serialPlans") final List<List<ListAppendWorkload.Planned>> plans) throws IOException
    {
        final Path directory = Files.createTempDirectory("tidemark-serial");
        try
        {
            final List<String> keys = ListAppendWorkload.keys(4);
            final History history = new History();
            try (Database db = Database.open(directory, DatabaseOptions.builder().durability(Durability.NONE)
                .build()))
            {
                final ListAppendWorkload workload = new ListAppendWorkload(db, "serial", level, keys, history);
                for (final List<ListAppendWorkload.Planned> plan : plans)
                {
                    assertThat(workload.attempt(0, plan)).as("serial transaction %s at %s committed", plan, level)
                        .isTrue();
                }
                final CheckResult result = new HistoryChecker(keys).check(history.records(), workload.finalEvents(),
                    workload.finalData());
                assertThat(result.anomalies()).as("anomalies of a serial history").isEmpty();
                assertThat(result.ambiguousReads()).as("reads of a serial history that the checker cannot place")
                    .isZero();
            }
        }
        finally
        {
            deleteRecursively(directory);
        }
    }

    @Provide
    Arbitrary<List<List<ListAppendWorkload.Planned>>> serialPlans()
    {
        final List<String> keys = ListAppendWorkload.keys(4);
        final Arbitrary<String> key = Arbitraries.of(keys);
        final Arbitrary<String> bound = Arbitraries.of(keys).injectNull(0.4);
        final Arbitrary<ListAppendWorkload.Planned> read = key.map(k ->
            new ListAppendWorkload.Planned(Op.Kind.READ, k, null, null));
        final Arbitrary<ListAppendWorkload.Planned> append = key.map(k ->
            new ListAppendWorkload.Planned(Op.Kind.APPEND, k, null, null));
        final Arbitrary<ListAppendWorkload.Planned> delete = key.map(k ->
            new ListAppendWorkload.Planned(Op.Kind.DELETE, k, null, null));
        final Arbitrary<ListAppendWorkload.Planned> scan = Combinators.combine(bound, bound).as((a, b) ->
        {
            final boolean swap = a != null && b != null && a.compareTo(b) > 0;
            return new ListAppendWorkload.Planned(Op.Kind.SCAN, null, swap ? b : a,
                swap ? a : b);
        });
        final Arbitrary<ListAppendWorkload.Planned> op = Arbitraries.frequencyOf(
            Tuple.of(3, read), Tuple.of(3, append), Tuple.of(1, delete),
            Tuple.of(2, scan));
        return op.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(40);
    }

    private static void deleteRecursively(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(p ->
            {
                try
                {
                    Files.deleteIfExists(p);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
