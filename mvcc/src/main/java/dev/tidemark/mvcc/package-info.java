/**
 * The MVCC page store, bottom layers: the page file and the buffer pool. Public API: {@link
 * dev.tidemark.mvcc.PageStore}, {@link dev.tidemark.mvcc.PageStoreOptions}, {@link dev.tidemark.mvcc.PageHandle},
 * {@link dev.tidemark.mvcc.LatchMode}, {@link dev.tidemark.mvcc.LogForce} and
 * {@link dev.tidemark.mvcc.BufferPoolExhaustedException}; everything else is package-private.
 *
 * <p>Call order: {@code PageStore → BufferPool → (TwoQueuePolicy, Frame) → Doublewrite → PageFile → FileIo};
 * beside it {@code PageWriter → BufferPool}. Byte layouts: {@code PageLayout}, {@code PageFileLayout}; spec:
 * {@code docs/format/page.md}. The pool keeps the WAL rule through {@link dev.tidemark.mvcc.LogForce} by comparing
 * LSNs; it shares no monitor with the log.
 */
package dev.tidemark.mvcc;
