package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;

/**
 * Reads and rewrites version chains ({@link ChainLayout}): which version a snapshot sees, and which versions no
 * live snapshot can see any more.
 */
final class Versions
{
    /** What {@link #prune} returns when nothing of the entry is left to keep. */
    static final int REMOVE_ENTRY = -1;

    private Versions()
    {
    }

    /**
     * @return the offset of the newest version of {@code versions[offset, offset + length)} that {@code snapshot}
     * sees, or -1 when it sees none
     */
    static int visible(final DirectBuffer versions, final int offset, final int length, final Snapshot snapshot,
        final CommitTable commits)
    {
        final int end = offset + length;
        int at = offset;
        while (at < end)
        {
            if (snapshot.sees(ChainLayout.txn(versions, at), commits))
            {
                return at;
            }
            at += ChainLayout.versionLength(versions, at);
        }
        return -1;
    }

    /**
     * Adds to {@code into} the writer of every version ahead of the one {@code snapshot} sees (of all versions when
     * it sees none).
     *
     * @return the number of writers added
     */
    static int skipped(final DirectBuffer versions, final int offset, final int length, final Snapshot snapshot,
        final CommitTable commits, final LongArrayList into)
    {
        final int end = offset + length;
        int at = offset;
        int added = 0;
        while (at < end)
        {
            final long txn = ChainLayout.txn(versions, at);
            if (snapshot.sees(txn, commits))
            {
                break;
            }
            into.addLong(txn);
            added++;
            at += ChainLayout.versionLength(versions, at);
        }
        return added;
    }

    /**
     * Copies the versions that a live or future snapshot may still see to {@code out} at {@code outOffset}: all
     * down to the newest version committed at or below {@code horizon}, which every snapshot sees, unless that
     * one is a tombstone. Overflow values of dropped versions are added to {@code freed}.
     *
     * @return the bytes kept, or {@link #REMOVE_ENTRY} when none
     */
    static int prune(final DirectBuffer versions, final int offset, final int length, final CommitTable commits,
        final long horizon, final MutableDirectBuffer out, final int outOffset, final LongArrayList freed)
    {
        final int end = offset + length;
        final int settled = newestSettled(versions, offset, length, commits, horizon);
        final int keepEnd = settled < 0 ? end
            : ChainLayout.isTombstone(versions, settled) ? settled
            : settled + ChainLayout.versionLength(versions, settled);
        for (int drop = keepEnd; drop < end; drop += ChainLayout.versionLength(versions, drop))
        {
            if (ChainLayout.isOverflow(versions, drop))
            {
                freed.addLong(ChainLayout.overflowPage(versions, drop));
            }
        }
        final int kept = keepEnd - offset;
        if (kept == 0)
        {
            return REMOVE_ENTRY;
        }
        out.putBytes(outOffset, versions, offset, kept);
        return kept;
    }

    /** @return whether {@link #prune} would drop anything of the chain. */
    static boolean isPrunable(final DirectBuffer versions, final int offset, final int length,
        final CommitTable commits, final long horizon)
    {
        final int settled = newestSettled(versions, offset, length, commits, horizon);
        return settled >= 0 && (settled + ChainLayout.versionLength(versions, settled) < offset + length
            || ChainLayout.isTombstone(versions, settled));
    }

    /**
     * @return whether {@link #prune} would drop exactly one version, the oldest, which holds its value inline and
     *     sits under a settled version that is not a tombstone: the version that the next write of the key drops
     *     anyway, in its own log record
     */
    static boolean dropsOnlyOneInlineVersion(final DirectBuffer versions, final int offset, final int length,
        final CommitTable commits, final long horizon)
    {
        final int settled = newestSettled(versions, offset, length, commits, horizon);
        if (settled < 0 || ChainLayout.isTombstone(versions, settled))
        {
            return false;
        }
        final int next = settled + ChainLayout.versionLength(versions, settled);
        return next < offset + length && next + ChainLayout.versionLength(versions, next) == offset + length
            && !ChainLayout.isOverflow(versions, next);
    }

    /** @return the offset of the newest version every live and future snapshot sees, or -1 when none */
    private static int newestSettled(final DirectBuffer versions, final int offset, final int length,
        final CommitTable commits, final long horizon)
    {
        final int end = offset + length;
        for (int at = offset; at < end; at += ChainLayout.versionLength(versions, at))
        {
            if (isSettled(ChainLayout.txn(versions, at), commits, horizon))
            {
                return at;
            }
        }
        return -1;
    }

    /** @return whether every live and future snapshot sees versions of {@code txn}. */
    static boolean isSettled(final long txn, final CommitTable commits, final long horizon)
    {
        return txn == CommitTable.SYSTEM_TRANSACTION || commits.commitTimestamp(txn) <= horizon;
    }

    /** @return the number of versions in the chain. */
    static int count(final DirectBuffer versions, final int offset, final int length)
    {
        int count = 0;
        for (int at = offset; at < offset + length; at += ChainLayout.versionLength(versions, at))
        {
            count++;
        }
        return count;
    }
}
