package dev.tidemark.mvcc;

import java.util.concurrent.atomic.AtomicLong;

/** A {@link LogForce} whose durable LSN moves only when the pool asks for it, so a test sees every request. */
final class FakeLog implements LogForce
{
    private final AtomicLong durable = new AtomicLong();
    private final AtomicLong forces = new AtomicLong();

    @Override
    public long durableLsn()
    {
        return durable.get();
    }

    @Override
    public void awaitDurable(final long lsn)
    {
        forces.incrementAndGet();
        durable.accumulateAndGet(lsn, Math::max);
    }

    long forces()
    {
        return forces.get();
    }
}
