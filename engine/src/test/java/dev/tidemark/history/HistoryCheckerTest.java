package dev.tidemark.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.IsolationLevel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The checker on hand-written histories: each anomaly class is found where it is, classified as the weakest class
 * it belongs to, and not found where it is not. Times are in abstract ticks; transactions that should be
 * concurrent share them.
 */
class HistoryCheckerTest
{
    private static final List<String> KEYS = List.of("x", "y", "z");

    private final History history = new History();
    private final Map<String, List<Long>> events = new HashMap<>();

    /** A transaction invoked at {@code start} whose operations return at {@code end - 1}, ending at {@code end}. */
    private TxnRecord txn(final long start, final long end, final boolean ok, final Op... ops)
    {
        final TxnRecord txn = history.invoke(0, start);
        for (final Op op : ops)
        {
            txn.add(op.invoked(start));
        }
        txn.commitStarted(end - 1);
        if (ok)
        {
            txn.ok(end);
        }
        else
        {
            txn.fail("aborted", end);
        }
        return txn;
    }

    private static Op read(final String key, final long end, final Long... seen)
    {
        return Op.read(key).completed(seen.length == 0 ? null : List.of(seen), end - 1);
    }

    private static Op absent(final String key, final long end)
    {
        return Op.read(key).completed(null, end - 1);
    }

    private static Op append(final String key, final long element, final long end, final Long... before)
    {
        return Op.append(key, element).completed(List.of(before), end - 1);
    }

    private static Op scan(final long end, final Map<String, List<Long>> found)
    {
        return Op.scan(null, null).completedScan(found, end - 1);
    }

    private CheckResult check()
    {
        final Map<String, List<Long>> data = new HashMap<>();
        events.forEach((k, v) -> data.put(k, v.isEmpty() || v.get(v.size() - 1) < 0 ? null : v));
        return new HistoryChecker(KEYS).check(history.records(), events, data);
    }

    @Test
    void shouldFindWriteSkewAsG2OnlyForbiddenAtSerializable()
    {
        txn(0, 10, true, absent("x", 10), absent("y", 10), append("x", 1, 10));
        txn(0, 10, true, absent("x", 10), absent("y", 10), append("y", 2, 10));
        events.put("x", List.of(1L));
        events.put("y", List.of(2L));
        final CheckResult result = check();
        assertThat(result.counts()).containsOnlyKeys(AnomalyType.G2);
        assertThat(result.forbiddenAt(IsolationLevel.SNAPSHOT)).isEmpty();
        assertThat(result.forbiddenAt(IsolationLevel.SERIALIZABLE)).hasSize(1);
    }

    @Test
    void shouldFindAPhantomSeenThroughScansAsG2()
    {
        txn(0, 10, true, scan(10, Map.of()), append("x", 1, 10));
        txn(0, 10, true, scan(10, Map.of()), append("y", 2, 10));
        events.put("x", List.of(1L));
        events.put("y", List.of(2L));
        assertThat(check().counts()).containsOnlyKeys(AnomalyType.G2);
    }

    @Test
    void shouldFindReadSkewAsGSingle()
    {
        txn(0, 10, true, append("x", 1, 10), append("y", 2, 10));
        txn(0, 20, true, absent("x", 20), read("y", 20, 2L));
        events.put("x", List.of(1L));
        events.put("y", List.of(2L));
        final CheckResult result = check();
        assertThat(result.counts()).containsOnlyKeys(AnomalyType.G_SINGLE);
        assertThat(result.forbiddenAt(IsolationLevel.READ_COMMITTED)).isEmpty();
        assertThat(result.forbiddenAt(IsolationLevel.SNAPSHOT)).hasSize(1);
    }

    /** Each reads the other's write: in real time one of the reads saw a version that was not yet committed. */
    @Test
    void shouldFindCircularInformationFlowAsG1cWithTheUncommittedReadItNeeds()
    {
        txn(0, 10, true, append("x", 1, 10), read("y", 10, 2L));
        txn(0, 10, true, append("y", 2, 10), read("x", 10, 1L));
        events.put("x", List.of(1L));
        events.put("y", List.of(2L));
        final CheckResult result = check();
        assertThat(result.counts()).containsOnlyKeys(AnomalyType.G1C, AnomalyType.FUTURE_READ);
        assertThat(result.counts()).containsEntry(AnomalyType.G1C, 1);
    }

    @Test
    void shouldFindAWriteCycleAsG0()
    {
        txn(0, 10, true, append("x", 1, 10), append("y", 4, 10, 3L));
        txn(0, 10, true, append("x", 2, 10, 1L), append("y", 3, 10));
        events.put("x", List.of(1L, 2L));
        events.put("y", List.of(3L, 4L));
        final CheckResult result = check();
        assertThat(result.counts()).containsOnlyKeys(AnomalyType.G0);
    }

    @Test
    void shouldFindAnAbortedRead()
    {
        txn(0, 10, false, append("x", 1, 10));
        txn(0, 20, true, read("x", 20, 1L));
        assertThat(check().counts()).containsOnlyKeys(AnomalyType.G1A);
    }

    @Test
    void shouldFindAnIntermediateRead()
    {
        txn(0, 10, true, append("x", 1, 10), append("x", 2, 10, 1L));
        txn(0, 20, true, read("x", 20, 1L));
        events.put("x", List.of(1L, 2L));
        assertThat(check().counts()).containsOnlyKeys(AnomalyType.G1B);
    }

    @Test
    void shouldFindALostUpdate()
    {
        txn(0, 10, true, append("x", 1, 10));
        txn(0, 10, true, append("x", 2, 10));
        events.put("x", List.of(1L, 2L));
        assertThat(check().counts()).containsKey(AnomalyType.LOST_WRITE);
    }

    @Test
    void shouldFindAnAbortedWriteThatSurvived()
    {
        txn(0, 10, false, append("x", 1, 10));
        events.put("x", List.of(1L));
        assertThat(check().counts()).containsOnlyKeys(AnomalyType.ABORTED_WRITE);
    }

    @Test
    void shouldFindAStaleReadOfACommitThatReturnedBeforeTheReaderBegan()
    {
        txn(0, 10, true, append("x", 1, 10));
        txn(20, 30, true, absent("x", 30));
        events.put("x", List.of(1L));
        assertThat(check().counts()).containsOnlyKeys(AnomalyType.STALE_READ);
    }

    @Test
    void shouldFindAReadOfOwnWriteThatWasNotSeen()
    {
        txn(0, 10, true, append("x", 1, 10), absent("x", 10));
        events.put("x", List.of(1L));
        assertThat(check().counts()).containsOnlyKeys(AnomalyType.INTERNAL);
    }

    /**
     * T1 deletes y, which is already absent, after T2 read y absent; T2 appended to x after T1 read x. The delete
     * changes nothing T2 could see, so the order T1, T2 explains everything: no cycle.
     */
    @Test
    void shouldNotDrawAnEdgeToADeleteOfAnAlreadyAbsentKey()
    {
        txn(0, 5, true, append("y", 1, 5), Op.delete("y", -2).completed(List.of(1L), 4));
        txn(10, 30, true, read("x", 30), Op.delete("y", -4).completed(List.of(1L, -2L), 29));
        txn(10, 20, true, read("x", 20), append("x", 3, 20), absent("y", 20));
        events.put("x", List.of(3L));
        events.put("y", List.of(1L, -2L, -4L));
        final CheckResult result = check();
        assertThat(result.anomalies()).isEmpty();
        assertThat(result.ambiguousReads()).isZero();
    }

    @Test
    void shouldFindNothingInASerialHistoryWithDeletesAndPlaceEveryRead()
    {
        txn(0, 10, true, absent("x", 10), append("x", 1, 10));
        txn(20, 30, true, read("x", 30, 1L), Op.delete("x", -2).completed(List.of(1L), 29));
        txn(40, 50, true, absent("x", 50), append("y", 3, 50));
        final Map<String, List<Long>> found = new TreeMap<>();
        found.put("y", List.of(3L));
        txn(60, 70, true, scan(70, found), append("x", 4, 70, 1L, -2L));
        events.put("x", List.of(1L, -2L, 4L));
        events.put("y", List.of(3L));
        final CheckResult result = check();
        assertThat(result.anomalies()).isEmpty();
        assertThat(result.ambiguousReads()).isZero();
        assertThat(result.resolvedReads()).isEqualTo(6);
    }
}
