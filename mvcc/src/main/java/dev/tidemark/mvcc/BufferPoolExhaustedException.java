package dev.tidemark.mvcc;

import dev.tidemark.TidemarkException;

/**
 * Every frame of the buffer pool is pinned, so no page can be brought in. Nothing was changed: unpin pages
 * (close their handles) sooner, or configure a larger pool.
 */
public class BufferPoolExhaustedException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    public BufferPoolExhaustedException(final String message)
    {
        super(message);
    }
}
