package dev.tidemark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/** A small multi-transaction script: an initial state and each transaction's steps (commit is implied). */
final class Script
{
    final SortedMap<String, String> initial;
    final List<List<ScriptStep>> txns;

    Script(final Map<String, String> initial, final List<List<ScriptStep>> txns)
    {
        this.initial = new TreeMap<>(initial);
        this.txns = List.copyOf(txns);
    }

    /**
     * A random script of 2 or 3 transactions of 2 to 4 steps on 2 or 3 keys: reads, locking reads, writes
     * (inserts and updates), deletes and scans over the whole keyspace or part of it.
     */
    static Script random(final Random random)
    {
        return random(random, 3);
    }

    /** As {@link #random(Random)}, with 2 to {@code maxTxns} transactions. */
    static Script random(final Random random, final int maxTxns)
    {
        final List<String> keys = List.of("a", "b", "c").subList(0, 2 + random.nextInt(2));
        final Map<String, String> initial = new TreeMap<>();
        for (final String key : keys)
        {
            if (random.nextBoolean())
            {
                initial.put(key, key + "0");
            }
        }
        final int count = 2 + random.nextInt(maxTxns - 1);
        final List<List<ScriptStep>> txns = new ArrayList<>();
        for (int t = 0; t < count; t++)
        {
            final List<ScriptStep> steps = new ArrayList<>();
            final int length = 2 + random.nextInt(3);
            for (int s = 0; s < length; s++)
            {
                steps.add(randomStep(random, keys, "t" + t + "." + s));
            }
            txns.add(steps);
        }
        return new Script(initial, txns);
    }

    private static ScriptStep randomStep(final Random random, final List<String> keys, final String value)
    {
        final String key = keys.get(random.nextInt(keys.size()));
        final int dice = random.nextInt(100);
        if (dice < 28)
        {
            return ScriptStep.get(key);
        }
        if (dice < 36)
        {
            return ScriptStep.getForUpdate(key);
        }
        if (dice < 64)
        {
            return ScriptStep.put(key, value);
        }
        if (dice < 76)
        {
            return ScriptStep.delete(key);
        }
        switch (random.nextInt(4))
        {
            case 0:
            case 1:
                return ScriptStep.scan(null, null);
            case 2:
                return ScriptStep.scan(key, null);
            default:
                return ScriptStep.scan(null, key);
        }
    }

    /**
     * @return an order of the committed transactions whose serial replay from the initial state returns exactly
     * what each of them observed and ends in {@code outcome}'s final state, or null when there is none
     */
    List<Integer> serialOrder(final ScheduleOutcome outcome)
    {
        final List<Integer> committed = new ArrayList<>();
        for (int t = 0; t < txns.size(); t++)
        {
            if (outcome.committed(t))
            {
                committed.add(t);
            }
        }
        for (final List<Integer> order : permutations(committed))
        {
            if (replays(order, outcome))
            {
                return order;
            }
        }
        return null;
    }

    private boolean replays(final List<Integer> order, final ScheduleOutcome outcome)
    {
        final NavigableMap<String, String> model = ScriptStep.copy(initial);
        for (final int t : order)
        {
            final List<ScriptStep> steps = txns.get(t);
            for (int s = 0; s < steps.size(); s++)
            {
                final Object expected = steps.get(s).apply(model);
                if (!java.util.Objects.equals(expected, outcome.result(t, s)))
                {
                    return false;
                }
            }
        }
        return model.equals(outcome.finalState());
    }

    static List<List<Integer>> permutations(final List<Integer> items)
    {
        final List<List<Integer>> all = new ArrayList<>();
        if (items.isEmpty())
        {
            all.add(new ArrayList<>());
            return all;
        }
        for (int i = 0; i < items.size(); i++)
        {
            final List<Integer> rest = new ArrayList<>(items);
            final Integer first = rest.remove(i);
            for (final List<Integer> tail : permutations(rest))
            {
                tail.add(0, first);
                all.add(tail);
            }
        }
        return all;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("initial " + initial);
        for (int t = 0; t < txns.size(); t++)
        {
            text.append("; T").append(t).append(": ").append(txns.get(t));
        }
        return text.toString();
    }
}
