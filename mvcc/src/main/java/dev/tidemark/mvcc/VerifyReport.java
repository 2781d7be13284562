package dev.tidemark.mvcc;

import java.util.List;

/**
 * The result of {@link MvccStore#verify()}: the problems found (empty when the store is sound) and what was
 * checked.
 */
public final class VerifyReport
{
    private final List<String> problems;
    private final int trees;
    private final long treePages;
    private final long overflowPages;
    private final long entries;
    private final long versions;
    private final long freePages;

    VerifyReport(final List<String> problems, final int trees, final long treePages, final long overflowPages,
        final long entries, final long versions, final long freePages)
    {
        this.problems = List.copyOf(problems);
        this.trees = trees;
        this.treePages = treePages;
        this.overflowPages = overflowPages;
        this.entries = entries;
        this.versions = versions;
        this.freePages = freePages;
    }

    public boolean isValid()
    {
        return problems.isEmpty();
    }

    /** @return one line per problem, each naming the page and what is wrong */
    public List<String> problems()
    {
        return problems;
    }

    public int trees()
    {
        return trees;
    }

    public long treePages()
    {
        return treePages;
    }

    public long overflowPages()
    {
        return overflowPages;
    }

    public long entries()
    {
        return entries;
    }

    public long versions()
    {
        return versions;
    }

    public long freePages()
    {
        return freePages;
    }

    @Override
    public String toString()
    {
        return (isValid() ? "valid" : problems.size() + " problems " + problems) + ": " + trees + " trees, "
            + treePages + " tree pages, " + overflowPages + " overflow pages, " + entries + " entries, " + versions
            + " versions, " + freePages + " free pages";
    }
}
