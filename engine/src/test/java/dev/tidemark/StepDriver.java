package dev.tidemark;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Script} one step at a time: each transaction lives on its own thread and runs a step only when
 * the driver tells it to. After each step the driver waits until the step returned or the engine's lock-wait
 * view ({@link Database#lockWaits()}) shows its transaction waiting, and until every other waiting step has
 * either returned or is still listed as waiting, so the interleaving is the one the {@link Chooser} picked. A
 * transaction's steps are: begin, its script steps, commit.
 */
final class StepDriver implements AutoCloseable
{
    /** Picks which transaction runs its next step, among those that are neither finished nor blocked. */
    interface Chooser
    {
        int next(List<Integer> runnable);
    }

    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Database db;
    private final IsolationLevel level;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable ->
    {
        final Thread thread = new Thread(runnable, "step-driver-txn");
        thread.setDaemon(true);
        return thread;
    });

    StepDriver(final Database db, final IsolationLevel level)
    {
        this.db = db;
        this.level = level;
    }

    /** @return a chooser that follows {@code order} (transaction indexes), then runs the lowest runnable one */
    static Chooser following(final int... order)
    {
        final int[] at = {0};
        return runnable ->
        {
            if (at[0] >= order.length)
            {
                return runnable.get(0);
            }
            final int next = order[at[0]++];
            if (!runnable.contains(next))
            {
                throw new AssertionError("the schedule's step " + at[0] + " wants T" + next + ", which is blocked or "
                    + "finished; runnable: " + runnable);
            }
            return next;
        };
    }

    ScheduleOutcome run(final Script script, final Keyspace keyspace, final Chooser chooser)
        throws InterruptedException
    {
        final int count = script.txns.size();
        final ScheduleOutcome outcome = new ScheduleOutcome(count);
        final List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < count; t++)
        {
            final Worker worker = new Worker(t, script.txns.get(t), keyspace);
            workers.add(worker);
            threads.execute(worker);
        }
        while (workers.stream().anyMatch(w -> !w.done))
        {
            final List<Integer> runnable = new ArrayList<>();
            for (final Worker worker : workers)
            {
                if (!worker.done && !worker.outstanding)
                {
                    runnable.add(worker.index);
                }
            }
            if (runnable.isEmpty())
            {
                awaitAny(workers, outcome);
                continue;
            }
            final Worker chosen = workers.get(chooser.next(runnable));
            chosen.send();
            awaitStep(chosen, outcome);
            settle(workers, outcome);
        }
        outcome.finalState(state(keyspace));
        return outcome;
    }

    /** Waits until {@code worker}'s step returned or the engine lists its transaction as waiting for a lock. */
    private void awaitStep(final Worker worker, final ScheduleOutcome outcome) throws InterruptedException
    {
        final long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (true)
        {
            final Reply reply = worker.replies.poll(100, TimeUnit.MICROSECONDS);
            if (reply != null)
            {
                worker.handle(reply, outcome);
                return;
            }
            if (waiting(worker))
            {
                outcome.trace("T" + worker.index + " " + worker.pendingName() + " blocks");
                outcome.blocked();
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("T" + worker.index + " neither finished " + worker.pendingName()
                    + " nor waits for a lock; lock waits " + db.lockWaits() + "; " + outcome);
            }
        }
    }

    /** Waits until every outstanding step has returned or is (still) waiting for a lock. */
    private void settle(final List<Worker> workers, final ScheduleOutcome outcome) throws InterruptedException
    {
        final long deadline = System.nanoTime() + PATIENCE_NANOS;
        for (final Worker worker : workers)
        {
            while (worker.outstanding)
            {
                final Reply reply = worker.replies.poll(100, TimeUnit.MICROSECONDS);
                if (reply != null)
                {
                    worker.handle(reply, outcome);
                }
                else if (waiting(worker))
                {
                    break;
                }
                else if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("T" + worker.index + " did not settle; " + outcome);
                }
            }
        }
    }

    /** Every unfinished transaction is blocked: waits for one of them to return (a deadlock victim, say). */
    private void awaitAny(final List<Worker> workers, final ScheduleOutcome outcome) throws InterruptedException
    {
        final long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (System.nanoTime() < deadline)
        {
            for (final Worker worker : workers)
            {
                final Reply reply = worker.outstanding ? worker.replies.poll() : null;
                if (reply != null)
                {
                    worker.handle(reply, outcome);
                    settle(workers, outcome);
                    return;
                }
            }
            Thread.sleep(0, 200_000);
        }
        throw new AssertionError("every transaction waits and none is released; lock waits " + db.lockWaits() + "; "
            + outcome);
    }

    private boolean waiting(final Worker worker)
    {
        final long id = worker.txnId;
        return id >= 0 && db.lockWaits().stream().anyMatch(w -> w.waiterTransactionId() == id);
    }

    private SortedMap<String, String> state(final Keyspace keyspace)
    {
        final SortedMap<String, String> state = new TreeMap<>();
        try (Transaction txn = db.begin(IsolationLevel.SNAPSHOT); Cursor cursor = txn.scan(keyspace, null, null))
        {
            while (cursor.next())
            {
                state.put(ScriptStep.text(cursor.key()), ScriptStep.text(cursor.value()));
            }
        }
        return state;
    }

    @Override
    public void close()
    {
        threads.shutdownNow();
    }

    /** What a transaction's thread reports for one step. */
    private static final class Reply
    {
        final boolean committed;
        final Object value;
        final TransactionAbortedException aborted;
        final Throwable error;

        Reply(final boolean committed, final Object value, final TransactionAbortedException aborted,
            final Throwable error)
        {
            this.committed = committed;
            this.value = value;
            this.aborted = aborted;
            this.error = error;
        }
    }

    /** One scripted transaction on its own thread; the driver thread owns every field but the queues and id. */
    private final class Worker implements Runnable
    {
        final int index;
        final List<ScriptStep> steps;
        final Keyspace keyspace;
        final BlockingQueue<Integer> commands = new LinkedBlockingQueue<>();
        final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
        volatile long txnId = -1;
        int next;
        boolean outstanding;
        boolean done;

        Worker(final int index, final List<ScriptStep> steps, final Keyspace keyspace)
        {
            this.index = index;
            this.steps = steps;
            this.keyspace = keyspace;
        }

        void send()
        {
            outstanding = true;
            commands.add(next);
        }

        String pendingName()
        {
            return next == 0 ? "begin" : next > steps.size() ? "commit" : steps.get(next - 1).toString();
        }

        void handle(final Reply reply, final ScheduleOutcome outcome)
        {
            outstanding = false;
            final String name = pendingName();
            if (reply.error != null)
            {
                throw new AssertionError("T" + index + " " + name + " failed unexpectedly; " + outcome, reply.error);
            }
            if (reply.aborted != null)
            {
                done = true;
                outcome.failed(index, reply.aborted.getMessage());
                outcome.trace("T" + index + " " + name + " -> aborted (" + reply.aborted.getClass().getSimpleName()
                    + (reply.aborted.isRetryable() ? "" : ", NOT retryable") + ")");
                return;
            }
            if (reply.committed)
            {
                done = true;
                outcome.markCommitted(index);
                outcome.trace("T" + index + " commit");
                return;
            }
            if (next > 0)
            {
                outcome.result(index, reply.value);
                outcome.trace("T" + index + " " + name + (steps.get(next - 1).kind == ScriptStep.Kind.PUT ? ""
                    : " -> " + reply.value));
            }
            else
            {
                outcome.trace("T" + index + " begin");
            }
            next++;
        }

        @Override
        public void run()
        {
            Transaction txn = null;
            try
            {
                while (true)
                {
                    final int command = commands.take();
                    try
                    {
                        if (command == 0)
                        {
                            txn = db.begin(level);
                            txnId = txn.id();
                            replies.add(new Reply(false, null, null, null));
                        }
                        else if (command > steps.size())
                        {
                            txn.commit();
                            replies.add(new Reply(true, null, null, null));
                            return;
                        }
                        else
                        {
                            replies.add(new Reply(false, steps.get(command - 1).run(txn, keyspace), null, null));
                        }
                    }
                    catch (final TransactionAbortedException ex)
                    {
                        replies.add(new Reply(false, null, ex, null));
                        return;
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            catch (final RuntimeException | Error ex)
            {
                replies.add(new Reply(false, null, null, ex));
            }
            finally
            {
                if (txn != null)
                {
                    txn.close();
                }
            }
        }
    }
}
