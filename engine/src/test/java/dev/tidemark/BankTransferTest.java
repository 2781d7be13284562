package dev.tidemark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bank invariant (TESTING.md O5): transfers between accounts keep the total, and every auditor that reads all
 * accounts in one transaction (a get of each, or a full scan) sees exactly that total, at SNAPSHOT and at
 * SERIALIZABLE, while transfers run. At the end the total is right and the store verifies.
 */
class BankTransferTest
{
    private static final int ACCOUNTS = 10;
    private static final long INITIAL = 1_000;
    private static final long TOTAL = ACCOUNTS * INITIAL;
    private static final int TRANSFERRERS = 3;
    private static final int AUDITORS = 2;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"SNAPSHOT", "SERIALIZABLE"})
    void shouldShowEveryAuditorTheSameTotalWhileTransfersRun(final IsolationLevel level) throws Exception
    {
        final long seed = TestSeeds.seed("bank transfers at " + level);
        final long runNanos = TimeUnit.MILLISECONDS.toNanos(Long.getLong("tidemark.bank.millis", 2_000));
        final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        final AtomicLong transfers = new AtomicLong();
        final AtomicLong audits = new AtomicLong();
        final AtomicLong givenUp = new AtomicLong();
        try (Database db = Database.open(dir, DatabaseOptions.builder().durability(Durability.ASYNC).build()))
        {
            final Keyspace accounts = db.keyspace("accounts");
            db.inTransaction(level, txn ->
            {
                for (int i = 0; i < ACCOUNTS; i++)
                {
                    txn.put(accounts, key(i), amount(INITIAL));
                }
                return null;
            });
            final long deadline = System.nanoTime() + runNanos;
            final ExecutorService threads = Executors.newFixedThreadPool(TRANSFERRERS + AUDITORS);
            try
            {
                final List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < TRANSFERRERS; t++)
                {
                    final Random random = new Random(seed + t);
                    running.add(threads.submit(() -> transferUntil(deadline, db, level, accounts, random, transfers,
                        givenUp)));
                }
                for (int a = 0; a < AUDITORS; a++)
                {
                    final boolean scan = a % 2 == 0;
                    running.add(threads.submit(() -> auditUntil(deadline, db, level, accounts, scan, audits,
                        violations)));
                }
                for (final Future<?> future : running)
                {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
            finally
            {
                threads.shutdownNow();
            }
            System.out.printf("%s: %d transfers, %d audits, %d transfers gave up after retries, %s%n", level,
                transfers.get(), audits.get(), givenUp.get(), db.stats());
            assertThat(violations).as("audits that saw a total other than %d", TOTAL).isEmpty();
            assertThat(transfers.get()).isPositive();
            assertThat(audits.get()).isPositive();
            try (Transaction txn = db.begin(level))
            {
                assertThat(audit(txn, accounts, true)).isEqualTo(TOTAL);
                assertThat(audit(txn, accounts, false)).isEqualTo(TOTAL);
                txn.commit();
            }
            assertThat(db.verify().isValid()).as("verify: %s", db.verify()).isTrue();
        }
    }

    private static Void transferUntil(final long deadline, final Database db, final IsolationLevel level,
        final Keyspace accounts, final Random random, final AtomicLong transfers, final AtomicLong givenUp)
    {
        while (System.nanoTime() < deadline)
        {
            try
            {
                if (transfer(db, level, accounts, random))
                {
                    transfers.incrementAndGet();
                }
            }
            catch (final TransactionAbortedException ex)
            {
                assertThat(ex.isRetryable()).as("abort %s", ex).isTrue();
                givenUp.incrementAndGet();
            }
        }
        return null;
    }

    private static Void auditUntil(final long deadline, final Database db, final IsolationLevel level,
        final Keyspace accounts, final boolean scan, final AtomicLong audits, final Queue<String> violations)
    {
        while (System.nanoTime() < deadline)
        {
            final long total = db.inTransaction(level, txn -> audit(txn, accounts, scan));
            audits.incrementAndGet();
            if (total != TOTAL)
            {
                violations.add((scan ? "scan" : "gets") + " audit saw " + total);
            }
        }
        return null;
    }

    /** @return whether money moved (false when the source could not cover the amount) */
    private static boolean transfer(final Database db, final IsolationLevel level, final Keyspace accounts,
        final Random random)
    {
        final int from = random.nextInt(ACCOUNTS);
        final int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        final long sum = 1 + random.nextInt(100);
        return db.inTransaction(level, txn ->
        {
            final long source = value(txn.get(accounts, key(from)));
            final long target = value(txn.get(accounts, key(to)));
            if (source < sum)
            {
                return false;
            }
            txn.put(accounts, key(from), amount(source - sum));
            txn.put(accounts, key(to), amount(target + sum));
            return true;
        });
    }

    private static long audit(final Transaction txn, final Keyspace accounts, final boolean scan)
    {
        long total = 0;
        int seen = 0;
        if (scan)
        {
            try (Cursor cursor = txn.scan(accounts, null, null))
            {
                while (cursor.next())
                {
                    total += nonNegative(value(cursor.value()));
                    seen++;
                }
            }
        }
        else
        {
            for (int i = 0; i < ACCOUNTS; i++)
            {
                total += nonNegative(value(txn.get(accounts, key(i))));
                seen++;
            }
        }
        assertThat(seen).as("accounts seen").isEqualTo(ACCOUNTS);
        return total;
    }

    private static long nonNegative(final long balance)
    {
        assertThat(balance).as("a balance").isNotNegative();
        return balance;
    }

    private static byte[] key(final int account)
    {
        return String.format("acct-%02d", account).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] amount(final long value)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    private static long value(final byte[] bytes)
    {
        assertThat(bytes).as("an account's value").isNotNull();
        return ByteBuffer.wrap(bytes).getLong();
    }
}
