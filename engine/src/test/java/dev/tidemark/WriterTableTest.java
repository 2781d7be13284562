package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriterTableTest
{
    private static Txn writer(final long id)
    {
        final Txn txn = new Txn(null, IsolationLevel.SNAPSHOT, Durability.SYNC, Duration.ZERO, false);
        txn.assignId(id);
        return txn;
    }

    @Test
    void shouldFindWritersWhoseRingSlotIsTakenByAnOlderOne()
    {
        final WriterTable table = new WriterTable(8);
        final Txn old = writer(3);
        final Txn sameSlot = writer(11);
        final Txn other = writer(4);
        table.add(old);
        table.add(sameSlot);
        table.add(other);
        assertThat(table.get(3)).isSameAs(old);
        assertThat(table.get(11)).isSameAs(sameSlot);
        assertThat(table.get(4)).isSameAs(other);
        assertThat(table.get(19)).isNull();
        assertThat(table.get(5)).isNull();

        table.remove(old);
        assertThat(table.get(3)).isNull();
        assertThat(table.get(11)).isSameAs(sameSlot);
        table.remove(sameSlot);
        assertThat(table.get(11)).isNull();
        final Txn reuse = writer(19);
        table.add(reuse);
        assertThat(table.get(19)).isSameAs(reuse);

        final List<Long> all = new ArrayList<>();
        table.forEach(txn -> all.add(txn.id()));
        assertThat(all).containsExactlyInAnyOrder(4L, 19L);
    }
}
