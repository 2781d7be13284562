package dev.tidemark.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidemark.mvcc.RedoScope;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The checkpoint end record's tables, and the redo scope analysis derives from them. */
class CheckpointTablesTest
{
    private static final Path DIR = Path.of("/db/wal");

    @Test
    void shouldAdmitOnlyChangesTheDirtyPageTableMayMiss()
    {
        final Map<Long, Long> dirty = new TreeMap<>(Map.of(10L, 90L, 11L, 120L));
        final UnsafeBuffer record = CheckpointTables.encode(100, Map.of(7L, 80L), dirty, 16);
        assertThat(CheckpointTables.retainFrom(record)).isEqualTo(80);
        final CheckpointTables tables = CheckpointTables.decode(record, record.capacity(), 100, DIR);
        assertThat(tables.analysisLsn()).isEqualTo(80);
        assertThat(tables.redoLsn()).isEqualTo(90);
        final RedoScope scope = tables.scope();
        assertThat(scope.mayNeedRedo(10, 85)).as("below the page's recLSN").isFalse();
        assertThat(scope.mayNeedRedo(10, 95)).as("from the page's recLSN").isTrue();
        assertThat(scope.mayNeedRedo(12, 95)).as("not dirty, changed before the begin record").isFalse();
        assertThat(scope.mayNeedRedo(12, 130)).as("changed after the begin record").isTrue();
        assertThat(scope.mayNeedRedo(12, 131)).as("dirty from its first change after the begin record").isTrue();

        final UnsafeBuffer truncated = CheckpointTables.encode(100, Map.of(), dirty, 1);
        final RedoScope every = CheckpointTables.decode(truncated, truncated.capacity(), 100, DIR).scope();
        assertThat(every.mayNeedRedo(12, 95)).as("a table too long to log: every change from the redo LSN")
            .isTrue();
        assertThat(every.mayNeedRedo(12, 85)).isFalse();
    }
}
