package dev.tidemark.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Tarjan's strongly connected components, iterative (histories have thousands of transactions). */
final class Tarjan
{
    private final DependencyGraph graph;
    private final int allowed;
    private final Map<Integer, Integer> index = new HashMap<>();
    private final Map<Integer, Integer> low = new HashMap<>();
    private final Deque<Integer> stack = new ArrayDeque<>();
    private final java.util.Set<Integer> onStack = new java.util.HashSet<>();
    private final List<List<Integer>> result = new ArrayList<>();
    private int counter;

    Tarjan(final DependencyGraph graph, final int allowed)
    {
        this.graph = graph;
        this.allowed = allowed;
    }

    /** @return the components of more than one node */
    List<List<Integer>> run()
    {
        for (final TxnRecord node : graph.nodes())
        {
            if (!index.containsKey(node.index()))
            {
                visit(node.index());
            }
        }
        return result;
    }

    private void visit(final int root)
    {
        final Deque<int[]> frames = new ArrayDeque<>();
        final Deque<Iterator<Integer>> iterators = new ArrayDeque<>();
        open(root);
        frames.push(new int[] {root});
        iterators.push(graph.successors(root, allowed).iterator());
        while (!frames.isEmpty())
        {
            final int node = frames.peek()[0];
            final Iterator<Integer> next = iterators.peek();
            if (next.hasNext())
            {
                final int child = next.next();
                if (!index.containsKey(child))
                {
                    open(child);
                    frames.push(new int[] {child});
                    iterators.push(graph.successors(child, allowed).iterator());
                }
                else if (onStack.contains(child))
                {
                    low.put(node, Math.min(low.get(node), index.get(child)));
                }
                continue;
            }
            frames.pop();
            iterators.pop();
            if (!frames.isEmpty())
            {
                final int parent = frames.peek()[0];
                low.put(parent, Math.min(low.get(parent), low.get(node)));
            }
            if (low.get(node).equals(index.get(node)))
            {
                final List<Integer> component = new ArrayList<>();
                int member;
                do
                {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                }
                while (member != node);
                if (component.size() > 1)
                {
                    component.sort(null);
                    result.add(component);
                }
            }
        }
    }

    private void open(final int node)
    {
        index.put(node, counter);
        low.put(node, counter);
        counter++;
        stack.push(node);
        onStack.add(node);
    }
}
