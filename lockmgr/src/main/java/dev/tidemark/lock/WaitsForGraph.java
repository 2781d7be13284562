package dev.tidemark.lock;

import java.util.Arrays;
import org.agrona.collections.IntArrayList;

/**
 * The waits-for graph of the waiting transactions, rebuilt by the deadlock detector while it holds every stripe
 * lock, and the search for the victim: the youngest owner that lies on a cycle, found through the strongly
 * connected components (Tarjan's algorithm, iterative). Owners that do not wait cannot be on a cycle and are not
 * vertices; edges to them are dropped.
 *
 * <p>Not thread-safe: used only by {@link DeadlockDetector} under every stripe lock. Storage is reused.
 */
final class WaitsForGraph
{
    private LockOwner[] vertices = new LockOwner[16];
    private IntArrayList[] edges = new IntArrayList[16];
    private int vertexCount;
    private long epoch;

    private int[] index = new int[16];
    private int[] lowLink = new int[16];
    private int[] edgeCursor = new int[16];
    private boolean[] onStack = new boolean[16];
    private int[] sccStack = new int[16];
    private int[] callStack = new int[16];

    void clear()
    {
        epoch++;
        vertexCount = 0;
    }

    void addVertex(final LockOwner owner)
    {
        if (vertexCount == vertices.length)
        {
            growTo(vertexCount * 2);
        }
        owner.graphEpoch = epoch;
        owner.graphIndex = vertexCount;
        vertices[vertexCount] = owner;
        if (edges[vertexCount] == null)
        {
            edges[vertexCount] = new IntArrayList();
        }
        edges[vertexCount].clear();
        vertexCount++;
    }

    /** Adds the edge {@code from → to}; ignored unless both are vertices. */
    void addEdge(final LockOwner from, final LockOwner to)
    {
        if (from.graphEpoch == epoch && to.graphEpoch == epoch)
        {
            edges[from.graphIndex].addInt(to.graphIndex);
        }
    }

    int vertexCount()
    {
        return vertexCount;
    }

    /** @return the youngest owner on any cycle, or null when the graph has no cycle. */
    LockOwner youngestOnCycle()
    {
        Arrays.fill(index, 0, vertexCount, -1);
        Arrays.fill(onStack, 0, vertexCount, false);
        LockOwner youngest = null;
        int counter = 0;
        int sccTop = 0;
        for (int root = 0; root < vertexCount; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }
            int callTop = 0;
            callStack[callTop++] = root;
            index[root] = counter;
            lowLink[root] = counter++;
            edgeCursor[root] = 0;
            sccStack[sccTop++] = root;
            onStack[root] = true;
            while (callTop > 0)
            {
                final int v = callStack[callTop - 1];
                final IntArrayList out = edges[v];
                if (edgeCursor[v] < out.size())
                {
                    final int w = out.getInt(edgeCursor[v]++);
                    if (index[w] < 0)
                    {
                        index[w] = counter;
                        lowLink[w] = counter++;
                        edgeCursor[w] = 0;
                        sccStack[sccTop++] = w;
                        onStack[w] = true;
                        callStack[callTop++] = w;
                    }
                    else if (onStack[w])
                    {
                        lowLink[v] = Math.min(lowLink[v], index[w]);
                    }
                    continue;
                }
                callTop--;
                if (callTop > 0)
                {
                    final int parent = callStack[callTop - 1];
                    lowLink[parent] = Math.min(lowLink[parent], lowLink[v]);
                }
                if (lowLink[v] == index[v])
                {
                    final int first = sccTop;
                    do
                    {
                        onStack[sccStack[--sccTop]] = false;
                    }
                    while (sccStack[sccTop] != v);
                    if (first - sccTop > 1)
                    {
                        youngest = youngestOf(sccTop, first, youngest);
                    }
                }
            }
        }
        return youngest;
    }

    private LockOwner youngestOf(final int from, final int to, final LockOwner youngestSoFar)
    {
        LockOwner youngest = youngestSoFar;
        for (int i = from; i < to; i++)
        {
            final LockOwner owner = vertices[sccStack[i]];
            if (youngest == null || owner.isYoungerThan(youngest))
            {
                youngest = owner;
            }
        }
        return youngest;
    }

    private void growTo(final int capacity)
    {
        vertices = Arrays.copyOf(vertices, capacity);
        edges = Arrays.copyOf(edges, capacity);
        index = new int[capacity];
        lowLink = new int[capacity];
        edgeCursor = new int[capacity];
        onStack = new boolean[capacity];
        sccStack = new int[capacity];
        callStack = new int[capacity];
    }
}
