package dev.tidemark.mvcc;

import dev.tidemark.Durability;
import dev.tidemark.wal.WriteAheadLog;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Changes of single leaf entries, each logged as an {@link EntryRecord} and then applied through the record's own
 * redo: pushing a version (a transaction's put or delete), popping it again (undo, logged as a compensation), and
 * pruning versions no snapshot can see (garbage collection, a system change).
 *
 * <p>Thread-safe; every working buffer comes from the calling thread's {@link Scratch}.
 */
final class EntryWriter
{
    private final MvccStore store;
    private final WriteAheadLog wal;

    EntryWriter(final MvccStore store, final WriteAheadLog wal)
    {
        this.store = store;
        this.wal = wal;
    }

    /**
     * Pushes {@code version} onto the chain of {@code key} (a tombstone only when the key has an entry), pruning
     * versions no snapshot can see on the way; splits the leaf first when it has no room.
     *
     * @return whether a version was written
     */
    boolean push(final Scratch scratch, final BTree tree, final WriteTxn txn, final DirectBuffer key,
        final int keyLength, final DirectBuffer version, final int versionLength, final boolean tombstone)
    {
        final CommitTable commits = store.commits();
        while (true)
        {
            boolean split = false;
            boolean retry = false;
            final PageHandle leaf = tree.descendExclusive(key, 0, keyLength);
            try
            {
                final MutableDirectBuffer body = leaf.body();
                final int index = NodeLayout.search(body, key, 0, keyLength);
                if (tombstone && index < 0)
                {
                    return false;
                }
                final ExpandableDirectByteBuffer combined = scratch.combined;
                combined.putBytes(0, version, 0, versionLength);
                int oldPayload = 0;
                long oldSpill = 0;
                int combinedLength = versionLength;
                if (index >= 0)
                {
                    final int entry = NodeLayout.entryOffset(body, index);
                    final int payload = NodeLayout.payloadOffset(body, entry);
                    oldPayload = NodeLayout.payloadLength(body, entry);
                    if (ChainLayout.form(body, payload) == ChainLayout.FORM_SPILLED)
                    {
                        oldSpill = ChainLayout.spilledFirstPage(body, payload);
                        combinedLength += store.overflow().read(oldSpill, combined, versionLength);
                    }
                    else
                    {
                        combined.putBytes(versionLength, body, payload + 1, oldPayload - 1);
                        combinedLength += oldPayload - 1;
                    }
                    if (txn.firstUpdaterWinsAt() >= 0 && combinedLength > versionLength)
                    {
                        checkFirstUpdater(tree, txn, ChainLayout.txn(combined, versionLength), commits);
                    }
                }
                final int kept = Versions.prune(combined, 0, combinedLength, commits, commits.pruneHorizon(),
                    scratch.chain, 1, scratch.toFree);
                final int have = NodeLayout.available(body)
                    + (index >= 0 ? NodeLayout.entrySpace(keyLength, oldPayload) : 0);
                if (!fits(tree, keyLength, kept, have))
                {
                    scratch.toFree.clear();
                    split = pruneLeaf(tree, leaf, scratch, true) == 0;
                    retry = true;
                }
                else
                {
                    written(tree, txn, leaf, key, keyLength, kept, version, versionLength, index, oldSpill,
                        scratch);
                }
            }
            finally
            {
                leaf.close();
                if (!scratch.toFree.isEmpty())
                {
                    tree.freeChains(scratch.toFree, scratch);
                }
            }
            if (split)
            {
                store.smo().split(tree, key, keyLength);
            }
            if (!retry)
            {
                return true;
            }
        }
    }

    private static void checkFirstUpdater(final BTree tree, final WriteTxn txn, final long newest,
        final CommitTable commits)
    {
        if (newest == txn.id() || newest == CommitTable.SYSTEM_TRANSACTION)
        {
            return;
        }
        final long committedAt = commits.commitTimestamp(newest);
        if (committedAt != CommitTable.NOT_COMMITTED && committedAt > txn.firstUpdaterWinsAt())
        {
            throw new WriteConflictException("transaction " + newest + " committed a version of this key of tree "
                + tree.name() + " at timestamp " + committedAt + ", after the writer's snapshot at "
                + txn.firstUpdaterWinsAt(), newest);
        }
    }

    private void written(final BTree tree, final WriteTxn txn, final PageHandle leaf, final DirectBuffer key,
        final int keyLength, final int kept, final DirectBuffer version, final int versionLength,
        final int searched, final long oldSpill, final Scratch scratch)
    {
        final int kind = txn.id() == CommitTable.SYSTEM_TRANSACTION
            ? EntryRecord.KIND_SYSTEM : EntryRecord.KIND_UPDATE;
        final long prevLsn = kind == EntryRecord.KIND_SYSTEM ? 0 : txn.lastLsn();
        final long lsn = apply(tree, leaf, kind, txn.id(), prevLsn, 0, key, 0, keyLength, kept, version,
            versionLength, scratch, Integer.MAX_VALUE, searched, searched >= 0 && oldSpill == 0 ? versionLength : -1);
        if (kind == EntryRecord.KIND_UPDATE)
        {
            txn.lastLsn(lsn);
        }
        if (oldSpill != 0)
        {
            scratch.toFree.addLong(oldSpill);
        }
        if (searched >= 0)
        {
            tree.noteGarbage();
        }
    }

    /**
     * Undoes an {@link EntryRecord#KIND_UPDATE} of {@code txn}: finds the key wherever it lives now, pops the
     * transaction's newest version and logs that as a compensation whose undo-next LSN is the record's prev LSN.
     */
    void undo(final BTree tree, final WriteTxn txn, final EntryRecord record)
    {
        final Scratch scratch = store.scratch();
        final DirectBuffer key = record.buffer();
        final int keyOffset = record.keyOffset();
        final int keyLength = record.keyLength();
        boolean underflow;
        final PageHandle leaf = tree.descendExclusive(key, keyOffset, keyLength);
        try
        {
            final MutableDirectBuffer body = leaf.body();
            final int index = NodeLayout.search(body, key, keyOffset, keyLength);
            if (index < 0)
            {
                throw store.corruption(leaf.pageId(), "undo of a change of transaction " + txn.id()
                    + " finds no entry for its key in tree " + tree.name());
            }
            final int entry = NodeLayout.entryOffset(body, index);
            final int payload = NodeLayout.payloadOffset(body, entry);
            final int oldPayload = NodeLayout.payloadLength(body, entry);
            final ExpandableDirectByteBuffer combined = scratch.combined;
            long oldSpill = 0;
            final int length;
            if (ChainLayout.form(body, payload) == ChainLayout.FORM_SPILLED)
            {
                oldSpill = ChainLayout.spilledFirstPage(body, payload);
                length = store.overflow().read(oldSpill, combined, 0);
            }
            else
            {
                combined.putBytes(0, body, payload + 1, oldPayload - 1);
                length = oldPayload - 1;
            }
            if (length == 0 || ChainLayout.txn(combined, 0) != txn.id())
            {
                throw store.corruption(leaf.pageId(), "undo of transaction " + txn.id() + " finds the newest "
                    + "version of its key in tree " + tree.name() + " written by "
                    + (length == 0 ? "nobody" : "transaction " + ChainLayout.txn(combined, 0)));
            }
            final int head = ChainLayout.versionLength(combined, 0);
            final long headOverflow = ChainLayout.isOverflow(combined, 0) ? ChainLayout.overflowPage(combined, 0) : 0;
            final int kept = length == head ? Versions.REMOVE_ENTRY : length - head;
            if (kept != Versions.REMOVE_ENTRY)
            {
                scratch.chain.putBytes(1, combined, head, kept);
            }
            final int have = NodeLayout.available(body) + NodeLayout.entrySpace(keyLength, oldPayload);
            final long lsn = apply(tree, leaf, EntryRecord.KIND_COMPENSATION, txn.id(), txn.lastLsn(),
                record.prevLsn(), key, keyOffset, keyLength, kept, null, 0, scratch, have, index, -1);
            txn.lastLsn(lsn);
            if (headOverflow != 0)
            {
                scratch.toFree.addLong(headOverflow);
            }
            if (oldSpill != 0)
            {
                scratch.toFree.addLong(oldSpill);
            }
            underflow = leaf.pageId() != tree.rootPage() && NodeLayout.used(body) < tree.limits().underflow;
        }
        finally
        {
            leaf.close();
            if (!scratch.toFree.isEmpty())
            {
                tree.freeChains(scratch.toFree, scratch);
            }
        }
        if (underflow)
        {
            store.smo().rebalance(tree, key, keyOffset, keyLength);
        }
    }

    /**
     * Garbage collection of one leaf held EXCLUSIVE: every chain loses the versions no live or future snapshot can
     * see; an entry whose newest settled version is a tombstone goes. Each changed entry is one system record.
     * A writer short of room passes {@code keepSingleOld}: a chain whose only garbage is one small old version
     * keeps it. Its next write drops that version for free and then rewrites the entry at the same length, in
     * place; pruning it now would log a record only for that write to grow the entry back, so that a leaf of
     * often-updated keys churned between pruning and regrowing, logging about one record more for every few
     * writes. Such a leaf splits instead, and the background sweep prunes it once it goes cold.
     * Overflow chains to free are left in {@code scratch.toFree}: the caller frees them once the change is applied
     * (no entry refers to them any more, so holding the leaf's latch meanwhile is fine).
     *
     * @return the entries changed
     */
    int pruneLeaf(final BTree tree, final PageHandle leaf, final Scratch scratch, final boolean keepSingleOld)
    {
        final CommitTable commits = store.commits();
        final long horizon = commits.pruneHorizon();
        final MutableDirectBuffer body = leaf.body();
        int changed = 0;
        int index = 0;
        while (index < NodeLayout.count(body))
        {
            final int entry = NodeLayout.entryOffset(body, index);
            final int payload = NodeLayout.payloadOffset(body, entry);
            final int payloadLength = NodeLayout.payloadLength(body, entry);
            final int keyLength = NodeLayout.keyLength(body, entry);
            DirectBuffer versions = body;
            int offset = payload + 1;
            int length = payloadLength - 1;
            long oldSpill = 0;
            if (ChainLayout.form(body, payload) == ChainLayout.FORM_SPILLED)
            {
                oldSpill = ChainLayout.spilledFirstPage(body, payload);
                length = store.overflow().read(oldSpill, scratch.combined, 0);
                versions = scratch.combined;
                offset = 0;
            }
            if (!Versions.isPrunable(versions, offset, length, commits, horizon) || keepSingleOld && oldSpill == 0
                && Versions.dropsOnlyOneInlineVersion(versions, offset, length, commits, horizon))
            {
                index++;
                continue;
            }
            final int kept = Versions.prune(versions, offset, length, commits, horizon, scratch.chain, 1,
                scratch.toFree);
            final int have = NodeLayout.available(body) + NodeLayout.entrySpace(keyLength, payloadLength);
            final MutableDirectBuffer key = scratch.separator;
            key.putBytes(0, body, NodeLayout.keyOffset(entry), keyLength);
            apply(tree, leaf, EntryRecord.KIND_SYSTEM, CommitTable.SYSTEM_TRANSACTION, 0, 0, key, 0, keyLength, kept,
                null, 0, scratch, have, index, oldSpill == 0 ? 0 : -1);
            if (oldSpill != 0)
            {
                scratch.toFree.addLong(oldSpill);
            }
            changed++;
            if (kept != Versions.REMOVE_ENTRY)
            {
                index++;
            }
        }
        return changed;
    }

    /** @return whether an entry of {@code kept} version bytes fits {@code have} bytes, inline or spilled. */
    private static boolean fits(final BTree tree, final int keyLength, final int kept, final int have)
    {
        if (kept == Versions.REMOVE_ENTRY)
        {
            return true;
        }
        return NodeLayout.entrySpace(keyLength, payloadLength(tree, keyLength, kept)) <= have;
    }

    /** @return the payload length of a chain of {@code kept} version bytes: inline when small enough. */
    private static int payloadLength(final BTree tree, final int keyLength, final int kept)
    {
        final int inline = 1 + kept;
        return NodeLayout.ENTRY_HEADER_LENGTH + keyLength + inline <= tree.limits().maxEntry
            ? inline : ChainLayout.SPILLED_LENGTH;
    }

    /**
     * Logs the entry of {@code key} with the chain in {@code scratch.chain[1, 1 + kept)} (or its removal), then
     * applies the record. The chain is spilled to overflow pages when it is too large inline, or when
     * {@code have} bytes cannot take it inline. {@code searched} is where {@link NodeLayout#search} found the key
     * in the leaf, latched since, which spares the redo a search of its own. {@code newHead} &ge; 0: only the first
     * that many chain bytes are new and the rest is a prefix of the versions of the entry's inline chain (a push
     * or a prune), so an inline chain is logged as those bytes and a kept tail, without the old versions the page
     * already holds; -1: the whole chain is logged.
     *
     * @return the record's LSN
     */
    private long apply(final BTree tree, final PageHandle leaf, final int kind, final long txn, final long prevLsn,
        final long undoNext, final DirectBuffer key, final int keyOffset, final int keyLength, final int kept,
        final DirectBuffer pushed, final int pushedLength, final Scratch scratch, final int have,
        final int searched, final int newHead)
    {
        final ExpandableDirectByteBuffer record = scratch.record;
        int chainLength = EntryRecord.REMOVED;
        int keptTail = 0;
        long spill = 0;
        if (kept != Versions.REMOVE_ENTRY)
        {
            final int inline = 1 + kept;
            final boolean inlineFits = NodeLayout.ENTRY_HEADER_LENGTH + keyLength + inline <= tree.limits().maxEntry
                && NodeLayout.entrySpace(keyLength, inline) <= have;
            if (inlineFits)
            {
                scratch.chain.putByte(0, (byte)ChainLayout.FORM_INLINE);
                chainLength = inline;
                if (newHead >= 0 && newHead < kept)
                {
                    keptTail = kept - newHead;
                    chainLength = 1 + newHead;
                }
            }
            else
            {
                spill = store.overflow().write(scratch.chain, 1, kept, scratch);
                ChainLayout.writeSpilled(scratch.marker, 0, kept, spill);
                chainLength = ChainLayout.SPILLED_LENGTH;
            }
        }
        final int withPushed = spill != 0 ? pushedLength : 0;
        record.checkLimit(EntryRecord.HEADER_LENGTH + keyLength + Math.max(chainLength, 0) + withPushed);
        final int length = EntryRecord.writeHeader(record, kind, txn, prevLsn, undoNext, tree.id(), leaf.pageId(),
            key, keyOffset, keyLength, chainLength, withPushed, keptTail);
        final int chainAt = EntryRecord.HEADER_LENGTH + keyLength;
        if (spill != 0)
        {
            record.putBytes(chainAt, scratch.marker, 0, ChainLayout.SPILLED_LENGTH);
            if (withPushed > 0)
            {
                record.putBytes(chainAt + chainLength, pushed, 0, withPushed);
            }
        }
        else if (chainLength > 0)
        {
            record.putBytes(chainAt, scratch.chain, 0, chainLength);
        }
        final long lsn;
        try
        {
            leaf.preDirty(wal.lastAppendedLsn() + 1);
            lsn = wal.append(LogRecordTypes.TREE_ENTRY, record, 0, length, Durability.NONE);
        }
        catch (final RuntimeException ex)
        {
            if (spill != 0)
            {
                try
                {
                    store.overflow().free(spill, scratch);
                }
                catch (final RuntimeException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
            }
            throw ex;
        }
        try
        {
            scratch.entryRecord.wrap(record, 0, length).redo(leaf.body(), scratch.compact, searched);
        }
        catch (final RedoMismatchException ex)
        {
            throw store.corruption(leaf.pageId(), ex.getMessage());
        }
        leaf.markDirty(lsn);
        return lsn;
    }
}
