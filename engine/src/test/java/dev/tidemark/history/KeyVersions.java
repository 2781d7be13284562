package dev.tidemark.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The version order of one key, recovered from its final event list {@code e1 … en}: version {@code j} is the
 * state after event {@code j} (version 0 is the initial, absent state). Version {@code j} holds the list
 * {@code e1 … ej} when {@code ej} is an append, and no value when it is a delete. A version is installed when the
 * next event belongs to another transaction: consecutive events of one transaction are intermediate states.
 *
 * <p>A delete of a key that is already absent changes nothing a reader can see (the engine may even skip it), so
 * consecutive installed absent versions form one absent state: a reader of it depends on the delete that began it
 * and is overwritten only by the next append.
 */
final class KeyVersions
{
    private final String key;
    private final List<Long> events;
    private final TxnRecord[] writers;
    private final Map<Long, Integer> positions = new HashMap<>();

    KeyVersions(final String key, final List<Long> events, final Map<Long, TxnRecord> writersByElement)
    {
        this.key = key;
        this.events = List.copyOf(events);
        this.writers = new TxnRecord[events.size() + 1];
        for (int j = 1; j <= events.size(); j++)
        {
            writers[j] = writersByElement.get(events.get(j - 1));
            positions.putIfAbsent(events.get(j - 1), j);
        }
    }

    String key()
    {
        return key;
    }

    List<Long> events()
    {
        return events;
    }

    /** @return the number of events: the newest version */
    int size()
    {
        return events.size();
    }

    /** @return the writer of version {@code j >= 1}, or null when its element belongs to no recorded write */
    TxnRecord writer(final int j)
    {
        return j == 0 ? null : writers[j];
    }

    boolean installed(final int j)
    {
        return j == 0 || j == size() || writers[j + 1] != writers[j];
    }

    boolean absentAt(final int j)
    {
        return j == 0 || events.get(j - 1) < 0;
    }

    /** @return the first installed version after {@code j}, or -1 when {@code j} is the newest */
    int nextInstalled(final int j)
    {
        for (int next = j + 1; next <= size(); next++)
        {
            if (installed(next))
            {
                return next;
            }
        }
        return -1;
    }

    /** @return the first installed version of the absent state that installed absent version {@code j} is in */
    int absentStart(final int j)
    {
        int start = j;
        for (int previous = j - 1; previous >= 0; previous--)
        {
            if (!installed(previous))
            {
                continue;
            }
            if (!absentAt(previous))
            {
                break;
            }
            start = previous;
        }
        return start;
    }

    /** @return the last installed version of the absent state that installed absent version {@code j} is in */
    int absentEnd(final int j)
    {
        int end = j;
        for (int next = nextInstalled(j); next > 0 && absentAt(next); next = nextInstalled(next))
        {
            end = next;
        }
        return end;
    }

    /** @return the position (1-based) of {@code element}, or -1 */
    int positionOf(final long element)
    {
        return positions.getOrDefault(element, -1);
    }

    /** @return whether {@code list} equals the first {@code list.size()} events */
    boolean isPrefix(final List<Long> list)
    {
        return list.size() <= size() && events.subList(0, list.size()).equals(list);
    }
}
