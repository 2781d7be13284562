package dev.tidemark.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvHistoryTest
{
    private static byte[] b(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<byte[], byte[]> state(final String... keysAndValues)
    {
        final Map<byte[], byte[]> state = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            state.put(b(keysAndValues[i]), b(keysAndValues[i + 1]));
        }
        return state;
    }

    private static void commit(final KvHistory.Txn txn)
    {
        txn.committing();
        txn.acknowledged();
    }

    @Test
    void shouldRejectALaterCommitThatSurvivedAnEarlierOneThatReturned()
    {
        final KvHistory history = new KvHistory();
        final KvHistory.Txn unforced = history.begin();
        unforced.put(b("a"), b("a1"));
        unforced.committing();
        unforced.returned();                       // an ASYNC commit returned: still in doubt
        final KvHistory.Txn later = history.begin();
        later.put(b("b"), b("b1"));
        later.committing();
        later.returned();
        final KvHistory.Txn overlapping = history.begin();
        overlapping.put(b("c"), b("c1"));
        overlapping.committing();                  // in flight at the crash

        assertThat(history.check(state())).as("both lost: a shorter prefix").isEmpty();
        assertThat(history.check(state("a", "a1"))).isEmpty();
        assertThat(history.check(state("a", "a1", "b", "b1", "c", "c1"))).isEmpty();
        assertThat(history.check(state("b", "b1"))).singleElement().asString().startsWith("O4");
        assertThat(history.check(state("c", "c1"))).as("c was called after a and b returned").hasSize(2)
            .allMatch(problem -> problem.startsWith("O4"));
        assertThat(history.check(state("a", "a1", "c", "c1"))).singleElement().asString().startsWith("O4");
    }

    @Test
    void shouldAcceptExactlyTheAcknowledgedState()
    {
        final KvHistory history = new KvHistory();
        final KvHistory.Txn first = history.begin();
        first.put(b("a"), b("a1"));
        first.put(b("b"), b("b1"));
        commit(first);
        final KvHistory.Txn second = history.begin();
        second.put(b("a"), b("a2"));
        second.delete(b("b"));
        commit(second);
        final KvHistory.Txn never = history.begin();
        never.put(b("c"), b("c1"));
        never.rolledBack();

        assertThat(history.check(state("a", "a2"))).isEmpty();
        assertThat(history.check(state("a", "a1"))).singleElement().asString().startsWith("O1");
        assertThat(history.check(state("a", "a2", "b", "b1"))).singleElement().asString().startsWith("O1");
        assertThat(history.check(state("a", "a2", "c", "c1"))).singleElement().asString().startsWith("O2");
        assertThat(history.check(state("a", "a2", "z", "z1"))).singleElement().asString().startsWith("O2");
    }

    @Test
    void shouldLetACommitInDoubtShowEverywhereOrNowhere()
    {
        final KvHistory history = new KvHistory();
        final KvHistory.Txn base = history.begin();
        base.put(b("a"), b("a1"));
        commit(base);
        final KvHistory.Txn doubt = history.begin();
        doubt.put(b("a"), b("a2"));
        doubt.put(b("b"), b("b2"));
        doubt.committing();

        assertThat(history.check(state("a", "a1"))).isEmpty();
        assertThat(history.check(state("a", "a2", "b", "b2"))).isEmpty();
        assertThat(history.check(state("a", "a2"))).singleElement().asString().startsWith("O3");
        assertThat(history.check(state("a", "a1", "b", "b2"))).singleElement().asString().startsWith("O3");
        assertThat(history.check(Map.of())).singleElement().asString().startsWith("O1");
    }

    @Test
    void shouldNotCountAWriteThatChangedNothingForOrAgainstACommitInDoubt()
    {
        final KvHistory history = new KvHistory();
        final KvHistory.Txn doubt = history.begin();
        doubt.put(b("a"), b("a1"));
        doubt.delete(b("never-there"));
        doubt.committing();

        assertThat(history.check(Map.of())).isEmpty();
        assertThat(history.check(state("a", "a1"))).isEmpty();
    }

    @Test
    void shouldRequireALaterAcknowledgedWriteOverAnEarlierCommitInDoubt()
    {
        final KvHistory history = new KvHistory();
        final KvHistory.Txn doubt = history.begin();
        doubt.put(b("a"), b("a1"));
        doubt.committing();
        final KvHistory.Txn later = history.begin();
        later.put(b("a"), b("a2"));
        commit(later);

        assertThat(history.check(state("a", "a2"))).isEmpty();
        assertThat(history.check(state("a", "a1"))).singleElement().asString().startsWith("O1");
    }

    @Test
    void shouldRefuseRecordsOutOfOrder()
    {
        final KvHistory.Txn txn = new KvHistory().begin();
        org.assertj.core.api.Assertions.assertThatThrownBy(txn::acknowledged)
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("committing()");
        txn.committing();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> txn.put(b("a"), b("x")))
            .isInstanceOf(IllegalStateException.class);
    }
}
