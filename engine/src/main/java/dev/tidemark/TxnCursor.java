package dev.tidemark;

import dev.tidemark.mvcc.TreeCursor;

/** A {@link Cursor} of a {@link Txn} over a tree cursor; closed with its transaction. */
final class TxnCursor implements Cursor
{
    private final Txn txn;
    private final TreeCursor cursor;
    private boolean positioned;
    private boolean closed;

    TxnCursor(final Txn txn, final TreeCursor cursor)
    {
        this.txn = txn;
        this.cursor = cursor;
    }

    @Override
    public boolean next()
    {
        if (closed)
        {
            throw new IllegalStateException("the cursor is closed");
        }
        txn.checkCursor();
        positioned = cursor.next();
        return positioned;
    }

    @Override
    public byte[] key()
    {
        requirePositioned();
        return cursor.keyBytes();
    }

    @Override
    public byte[] value()
    {
        requirePositioned();
        return cursor.valueBytes();
    }

    private void requirePositioned()
    {
        if (closed || !positioned)
        {
            throw new IllegalStateException(closed ? "the cursor is closed" : "the cursor is not on an entry; call "
                + "next() and check that it returned true");
        }
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            cursor.close();
            txn.cursorClosed(this);
        }
    }
}
