package dev.tidemark.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the dependency cycles of a {@link DependencyGraph} by class, weakest first, as Elle does: G0 (only ww
 * edges), G1c (ww and wr edges, at least one wr), G-single (exactly one rw edge) and G2 (a cycle with rw edges
 * that is none of those). Each class reports how many cycles it found (strongly connected components for G0, G1c
 * and G2; rw edges closing a cycle for G-single) and up to {@link #EXAMPLES} of them, rendered with their edges.
 */
public final class CycleChecker
{
    static final int EXAMPLES = 3;

    private final DependencyGraph graph;
    private final java.util.function.Function<TxnRecord, String> describe;

    public CycleChecker(final DependencyGraph graph)
    {
        this(graph, TxnRecord::toString);
    }

    /** @param describe how a transaction of a cycle is shown */
    public CycleChecker(final DependencyGraph graph, final java.util.function.Function<TxnRecord, String> describe)
    {
        this.graph = graph;
        this.describe = describe;
    }

    /** @return the cycles found, as anomalies */
    public List<Anomaly> check()
    {
        final List<Anomaly> found = new ArrayList<>();
        final List<List<Integer>> wwComponents = components(DependencyGraph.WW);
        report(found, AnomalyType.G0, wwComponents, DependencyGraph.WW, DependencyGraph.WW);
        final List<List<Integer>> wwWrComponents = components(DependencyGraph.WW | DependencyGraph.WR);
        report(found, AnomalyType.G1C, wwWrComponents, DependencyGraph.WR, DependencyGraph.WW | DependencyGraph.WR);
        final List<List<Integer>> all = components(DependencyGraph.ALL);
        final Set<String> single = gSingle(found, all);
        final List<List<Integer>> g2 = new ArrayList<>();
        for (final List<Integer> component : all)
        {
            if (!single.contains(component.toString()) && hasInternalEdge(component, DependencyGraph.RW))
            {
                g2.add(component);
            }
        }
        report(found, AnomalyType.G2, g2, DependencyGraph.RW, DependencyGraph.ALL);
        return found;
    }

    /** Reports, for each component with an internal edge of kind {@code closing}, a cycle through such an edge. */
    private void report(final List<Anomaly> found, final AnomalyType type, final List<List<Integer>> components,
        final int closing, final int allowed)
    {
        int count = 0;
        for (final List<Integer> component : components)
        {
            final List<Integer> cycle = cycleThrough(component, closing, allowed);
            if (cycle != null)
            {
                if (count < EXAMPLES)
                {
                    found.add(new Anomaly(type, "cycle of " + component.size() + " transaction(s): "
                        + render(cycle, allowed)));
                }
                count++;
            }
        }
        if (count > EXAMPLES)
        {
            found.add(new Anomaly(type, (count - EXAMPLES) + " more cycle(s) of this class"));
        }
    }

    /**
     * G-single: an rw edge {@code a → b} with a path from {@code b} back to {@code a} of ww and wr edges only.
     *
     * @return the components (as strings) where one was found
     */
    private Set<String> gSingle(final List<Anomaly> found, final List<List<Integer>> components)
    {
        final Set<String> where = new HashSet<>();
        int count = 0;
        final int noRw = DependencyGraph.WW | DependencyGraph.WR;
        for (final List<Integer> component : components)
        {
            final Map<Integer, Integer> position = positions(component);
            final Map<Integer, BitSet> reach = new HashMap<>();
            for (final int a : component)
            {
                for (final int b : graph.successors(a, DependencyGraph.RW))
                {
                    if (!position.containsKey(b))
                    {
                        continue;
                    }
                    final BitSet fromB = reach.computeIfAbsent(b, s -> reachable(s, noRw, position));
                    if (fromB.get(position.get(a)))
                    {
                        where.add(component.toString());
                        if (count < EXAMPLES)
                        {
                            final List<Integer> cycle = new ArrayList<>(List.of(a));
                            cycle.addAll(path(b, a, noRw, position.keySet()));
                            found.add(new Anomaly(AnomalyType.G_SINGLE, "cycle with one rw edge: "
                                + render(cycle, DependencyGraph.ALL)));
                        }
                        count++;
                    }
                }
            }
        }
        if (count > EXAMPLES)
        {
            found.add(new Anomaly(AnomalyType.G_SINGLE, (count - EXAMPLES) + " more rw edge(s) closing such a cycle"));
        }
        return where;
    }

    private static Map<Integer, Integer> positions(final List<Integer> component)
    {
        final Map<Integer, Integer> position = new HashMap<>();
        for (int i = 0; i < component.size(); i++)
        {
            position.put(component.get(i), i);
        }
        return position;
    }

    private BitSet reachable(final int from, final int allowed, final Map<Integer, Integer> within)
    {
        final BitSet seen = new BitSet(within.size());
        final Deque<Integer> queue = new ArrayDeque<>();
        seen.set(within.get(from));
        queue.add(from);
        while (!queue.isEmpty())
        {
            for (final int next : graph.successors(queue.poll(), allowed))
            {
                final Integer at = within.get(next);
                if (at != null && !seen.get(at))
                {
                    seen.set(at);
                    queue.add(next);
                }
            }
        }
        return seen;
    }

    private boolean hasInternalEdge(final List<Integer> component, final int kind)
    {
        final Set<Integer> members = new HashSet<>(component);
        for (final int a : component)
        {
            for (final int b : graph.successors(a, kind))
            {
                if (members.contains(b))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return a cycle (first node not repeated) through an internal edge of kind {@code closing}, or null */
    private List<Integer> cycleThrough(final List<Integer> component, final int closing, final int allowed)
    {
        final Set<Integer> members = new HashSet<>(component);
        for (final int a : component)
        {
            for (final int b : graph.successors(a, closing))
            {
                if (members.contains(b))
                {
                    final List<Integer> back = path(b, a, allowed, members);
                    if (back != null)
                    {
                        final List<Integer> cycle = new ArrayList<>(List.of(a));
                        cycle.addAll(back);
                        return cycle;
                    }
                }
            }
        }
        return null;
    }

    /**
     * @return the nodes of a shortest path from {@code from} to {@code to} over edges of a kind in {@code allowed},
     * without {@code to} (so {@code from} first and the last node has an edge to {@code to}), or null when none
     */
    private List<Integer> path(final int from, final int to, final int allowed, final Set<Integer> within)
    {
        final Map<Integer, Integer> parent = new HashMap<>();
        final Deque<Integer> queue = new ArrayDeque<>();
        queue.add(from);
        parent.put(from, from);
        while (!queue.isEmpty())
        {
            final int node = queue.poll();
            for (final int next : graph.successors(node, allowed))
            {
                if (next == to)
                {
                    final List<Integer> result = new ArrayList<>();
                    for (int at = node; ; at = parent.get(at))
                    {
                        result.add(at);
                        if (at == from)
                        {
                            break;
                        }
                    }
                    Collections.reverse(result);
                    return result;
                }
                if (within.contains(next) && !parent.containsKey(next))
                {
                    parent.put(next, node);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    private String render(final List<Integer> cycle, final int allowed)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < cycle.size(); i++)
        {
            final int from = cycle.get(i);
            final int to = cycle.get((i + 1) % cycle.size());
            text.append("\n    ").append(describe.apply(graph.node(from))).append("\n      --[")
                .append(graph.describe(from, to, allowed)).append("]--> T").append(to);
        }
        return text.toString();
    }

    /** @return the strongly connected components of more than one node, over edges of a kind in {@code allowed} */
    List<List<Integer>> components(final int allowed)
    {
        return new Tarjan(graph, allowed).run();
    }
}
