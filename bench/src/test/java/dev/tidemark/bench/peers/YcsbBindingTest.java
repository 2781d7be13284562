package dev.tidemark.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

class YcsbBindingTest
{
    @Test
    void recordRoundTripsEveryFieldOrTheOnesAskedFor()
    {
        final Map<String, ByteIterator> fields = new LinkedHashMap<>();
        fields.put("field0", new StringByteIterator("first value"));
        fields.put("field1", new StringByteIterator(""));
        fields.put("field2", new StringByteIterator("third"));
        final byte[] record = YcsbBinding.encode(fields);

        final Map<String, ByteIterator> all = new HashMap<>();
        YcsbBinding.decode(record, null, all);
        final Map<String, ByteIterator> some = new HashMap<>();
        YcsbBinding.decode(record, Set.of("field2"), some);

        assertThat(StringByteIterator.getStringMap(all))
            .containsExactlyInAnyOrderEntriesOf(Map.of("field0", "first value", "field1", "", "field2", "third"));
        assertThat(StringByteIterator.getStringMap(some)).containsExactlyInAnyOrderEntriesOf(Map.of("field2", "third"));
    }
}
