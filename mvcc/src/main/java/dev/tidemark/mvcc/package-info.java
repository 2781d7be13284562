/**
 * The MVCC page store. Public API: trees — {@link dev.tidemark.mvcc.MvccStore}, {@link dev.tidemark.mvcc.MvccStoreOptions},
 * {@link dev.tidemark.mvcc.BTree}, {@link dev.tidemark.mvcc.TreeCursor}, {@link dev.tidemark.mvcc.Snapshot},
 * {@link dev.tidemark.mvcc.CommitTable}, {@link dev.tidemark.mvcc.WriteTxn}, {@link dev.tidemark.mvcc.VerifyReport},
 * {@link dev.tidemark.mvcc.LogRecordTypes}; pages — {@link dev.tidemark.mvcc.PageStore},
 * {@link dev.tidemark.mvcc.PageStoreOptions}, {@link dev.tidemark.mvcc.PageHandle}, {@link dev.tidemark.mvcc.LatchMode},
 * {@link dev.tidemark.mvcc.LogForce} and {@link dev.tidemark.mvcc.BufferPoolExhaustedException}; everything else is
 * package-private.
 *
 * <p>Call order: {@code MvccStore → BTree / TreeCursor → EntryWriter, TreeSmo → SmoBatch, Overflow → PageStore →
 * BufferPool → (TwoQueuePolicy, Frame) → Doublewrite → PageFile → FileIo}; beside it {@code GarbageCollector} and
 * {@code PageWriter → BufferPool}. Byte layouts: {@code PageLayout}, {@code PageFileLayout}, {@code NodeLayout},
 * {@code ChainLayout}, {@code OverflowLayout}, {@code EntryRecord}, {@code PagesRecord}; specs:
 * {@code docs/format/page.md} and {@code docs/format/btree.md}. The pool keeps the WAL rule through
 * {@link dev.tidemark.mvcc.LogForce} by comparing LSNs; it shares no monitor with the log.
 */
package dev.tidemark.mvcc;
