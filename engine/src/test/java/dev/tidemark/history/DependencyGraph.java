package dev.tidemark.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dependency edges between committed transactions (Adya): {@code ww} (a version and the next one), {@code wr} (a
 * version and a read of it) and {@code rw} (a read of a version and the writer of the next version). A pair of
 * transactions may be joined by several kinds at once; each kind keeps the first reason given for it.
 */
public final class DependencyGraph
{
    public static final int WW = 1;
    public static final int WR = 2;
    public static final int RW = 4;
    public static final int ALL = WW | WR | RW;

    private final Map<Integer, TxnRecord> nodes = new LinkedHashMap<>();
    private final Map<Integer, Map<Integer, Integer>> out = new HashMap<>();
    private final Map<String, String> reasons = new HashMap<>();
    private int edgeCount;

    public void addNode(final TxnRecord txn)
    {
        nodes.putIfAbsent(txn.index(), txn);
    }

    /** Adds an edge of kind {@code type} from {@code from} to {@code to}; a self-edge is ignored. */
    public void add(final TxnRecord from, final TxnRecord to, final int type, final String reason)
    {
        if (from == to)
        {
            return;
        }
        addNode(from);
        addNode(to);
        final Map<Integer, Integer> targets = out.computeIfAbsent(from.index(), k -> new HashMap<>());
        final int before = targets.getOrDefault(to.index(), 0);
        if ((before & type) == 0)
        {
            targets.put(to.index(), before | type);
            reasons.put(from.index() + ">" + to.index() + ":" + type, reason);
            edgeCount++;
        }
    }

    public Collection<TxnRecord> nodes()
    {
        return nodes.values();
    }

    public TxnRecord node(final int index)
    {
        return nodes.get(index);
    }

    /** @return the kinds of edge from {@code from} to {@code to}, as a mask (0 for none) */
    public int mask(final int from, final int to)
    {
        final Map<Integer, Integer> targets = out.get(from);
        return targets == null ? 0 : targets.getOrDefault(to, 0);
    }

    /** @return the successors of {@code from} by an edge of a kind in {@code allowed} */
    public List<Integer> successors(final int from, final int allowed)
    {
        final Map<Integer, Integer> targets = out.get(from);
        final List<Integer> result = new ArrayList<>();
        if (targets != null)
        {
            targets.forEach((to, mask) ->
            {
                if ((mask & allowed) != 0)
                {
                    result.add(to);
                }
            });
        }
        return result;
    }

    public int edgeCount()
    {
        return edgeCount;
    }

    /** @return the edge kinds from {@code from} to {@code to} in {@code allowed}, each with its reason */
    public String describe(final int from, final int to, final int allowed)
    {
        final StringBuilder text = new StringBuilder();
        for (final int type : new int[] {WW, WR, RW})
        {
            if ((mask(from, to) & type & allowed) != 0)
            {
                text.append(text.length() == 0 ? "" : ", ").append(name(type)).append(' ')
                    .append(reasons.get(from + ">" + to + ":" + type));
            }
        }
        return text.toString();
    }

    public static String name(final int type)
    {
        return type == WW ? "ww" : type == WR ? "wr" : "rw";
    }
}
