package dev.tidemark.cli;

import dev.tidemark.Cursor;
import dev.tidemark.Database;
import dev.tidemark.IsolationLevel;
import dev.tidemark.Keyspace;
import dev.tidemark.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's sample data: {@value #ACCOUNTS} bank accounts of {@value #OPENING_BALANCE} each in keyspace
 * {@value #KEYSPACE}, keys {@code acct-00000} to {@code acct-09999}, balances as decimal text.
 */
final class SampleBank
{
    static final String KEYSPACE = "accounts";
    static final int ACCOUNTS = 10_000;
    static final int OPENING_BALANCE = 100;
    static final int THREADS = 4;
    static final int BATCH = 250;

    private final Database db;
    private final Keyspace accounts;

    SampleBank(final Database db)
    {
        this.db = db;
        this.accounts = db.keyspace(KEYSPACE);
    }

    static byte[] key(final int account)
    {
        return String.format(Locale.ROOT, "acct-%05d", account).getBytes(StandardCharsets.US_ASCII);
    }

    /** Opens every account: {@value #THREADS} threads, each committing transactions of {@value #BATCH} puts. */
    int load()
    {
        final int perThread = ACCOUNTS / THREADS;
        Parallel.run(THREADS, "tidemark-demo-loader", thread ->
        {
            for (int first = thread * perThread; first < (thread + 1) * perThread; first += BATCH)
            {
                final int start = first;
                db.inTransaction(IsolationLevel.SNAPSHOT, txn ->
                {
                    for (int account = start; account < start + BATCH; account++)
                    {
                        txn.put(accounts, key(account), text(OPENING_BALANCE));
                    }
                    return null;
                });
            }
        });
        return ACCOUNTS / BATCH;
    }

    /**
     * Moves money between random accounts: {@value #THREADS} threads, {@code perThread} SERIALIZABLE transactions
     * each (retried by {@link Database#inTransaction} when they conflict).
     */
    void transfer(final int perThread)
    {
        Parallel.run(THREADS, "tidemark-demo-teller", thread ->
        {
            final Random random = new Random(thread);
            for (int i = 0; i < perThread; i++)
            {
                final byte[] from = key(random.nextInt(ACCOUNTS));
                final byte[] to = key(random.nextInt(ACCOUNTS));
                final int amount = 1 + random.nextInt(20);
                if (!Arrays.equals(from, to))
                {
                    db.inTransaction(IsolationLevel.SERIALIZABLE, txn -> move(txn, from, to, amount));
                }
            }
        });
    }

    private Void move(final Transaction txn, final byte[] from, final byte[] to, final int amount)
    {
        final int fromBalance = number(txn.get(accounts, from));
        if (fromBalance >= amount)
        {
            txn.put(accounts, from, text(fromBalance - amount));
            txn.put(accounts, to, text(number(txn.get(accounts, to)) + amount));
        }
        return null;
    }

    /** The number of accounts and the sum of their balances. */
    record Totals(long accounts, long balance)
    {
    }

    /** @return the number of accounts and the sum of their balances, read in one snapshot */
    Totals totals()
    {
        return db.inTransaction(IsolationLevel.SNAPSHOT, txn ->
        {
            long count = 0;
            long total = 0;
            try (Cursor cursor = txn.scan(accounts, null, null))
            {
                while (cursor.next())
                {
                    count++;
                    total += number(cursor.value());
                }
            }
            return new Totals(count, total);
        });
    }

    /** @return the first {@code n} accounts as {@code key = balance} */
    List<String> first(final int n)
    {
        return db.inTransaction(IsolationLevel.SNAPSHOT, txn ->
        {
            final List<String> rows = new ArrayList<>();
            try (Cursor cursor = txn.scan(accounts, null, null))
            {
                while (rows.size() < n && cursor.next())
                {
                    rows.add(Bytes.render(cursor.key()) + " = " + Bytes.render(cursor.value()));
                }
            }
            return rows;
        });
    }

    static byte[] text(final long n)
    {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    static int number(final byte[] text)
    {
        return Integer.parseInt(new String(text, StandardCharsets.US_ASCII));
    }
}
