package dev.tidemark.mvcc;

/**
 * The write-ahead log record types that the MVCC page store writes ({@code docs/format/btree.md}). The log stores
 * a type per record and gives it no meaning; types 16 to 31 belong to this module.
 */
public final class LogRecordTypes
{
    /** A change of one leaf entry: a version pushed by a transaction, its compensation, or a system change. */
    public static final int TREE_ENTRY = 16;
    /** A system change of whole pages: images (splits, merges, new roots, overflow pages) and frees. */
    public static final int TREE_PAGES = 17;

    private LogRecordTypes()
    {
    }

    /** @return whether records of {@code type} are page operations of this module. */
    public static boolean isPageOperation(final int type)
    {
        return type == TREE_ENTRY || type == TREE_PAGES;
    }
}
