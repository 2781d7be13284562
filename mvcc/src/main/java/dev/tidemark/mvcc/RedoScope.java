package dev.tidemark.mvcc;

/**
 * Which logged page changes a restart {@link MvccStore#redo} pass looks at: the dirty-page table that the
 * transaction layer's analysis rebuilt from its last checkpoint. A change the scope rules out is not read from
 * disk at all; one it admits is still subject to the page-LSN test.
 */
@FunctionalInterface
public interface RedoScope
{
    /** Every change of every page: redo without a dirty-page table (no checkpoint to start from). */
    RedoScope ALL = (pageId, lsn) -> true;

    /**
     * @param pageId a page the record at {@code lsn} changes
     * @param lsn    the record's LSN
     * @return whether the change may be missing from the page on disk
     */
    boolean mayNeedRedo(long pageId, long lsn);
}
