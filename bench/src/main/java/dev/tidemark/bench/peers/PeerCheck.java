package dev.tidemark.bench.peers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The correctness check every engine passes before it is timed, so that a broken adapter cannot produce a
 * flattering figure: batched and single writes (keys with bytes above 0x7F, so that signed order would show),
 * overwrites, point reads of present and absent keys, ascending scans from the start and from a key, descending
 * scans, concurrent writers, and all of it again after a close and reopen.
 */
public final class PeerCheck
{
    private static final int ENTRIES = 2_000;
    private static final int WRITERS = 4;

    private PeerCheck()
    {
    }

    /**
     * Runs the check on {@code peer} in {@code directory} (existing and empty).
     *
     * @throws IllegalStateException naming the engine and what it got wrong
     */
    public static void check(final Peer peer, final Path directory)
    {
        final Random random = new Random(peer.ordinal() * 31L + 7);
        final TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
        final List<byte[]> keys = new ArrayList<>();
        while (keys.size() < ENTRIES)
        {
            final byte[] key = bytes(random, 1 + random.nextInt(24));
            if (!expected.containsKey(key))
            {
                expected.put(key, bytes(random, 1 + random.nextInt(200)));
                keys.add(key);
            }
        }
        Collections.shuffle(keys, random);
        try (PeerStore store = peer.open(directory))
        {
            final int batched = ENTRIES * 3 / 4;
            for (int from = 0; from < batched; from += 500)
            {
                final int count = Math.min(500, batched - from);
                final byte[][] batchKeys = new byte[count][];
                final byte[][] batchValues = new byte[count][];
                for (int i = 0; i < count; i++)
                {
                    batchKeys[i] = keys.get(from + i).clone();
                    batchValues[i] = expected.get(keys.get(from + i)).clone();
                }
                store.writeBatch(batchKeys, batchValues, count);
            }
            for (int i = batched; i < ENTRIES; i++)
            {
                store.put(keys.get(i).clone(), expected.get(keys.get(i)).clone());
            }
            for (int i = 0; i < 100; i++)
            {
                final byte[] key = keys.get(random.nextInt(ENTRIES));
                final byte[] value = bytes(random, 1 + random.nextInt(200));
                expected.put(key, value);
                store.put(key.clone(), value.clone());
            }
            writeConcurrently(peer, store, random.nextLong(), expected);
            verify(peer, "before reopening", store, expected, random);
        }
        try (PeerStore store = peer.open(directory))
        {
            verify(peer, "after reopening", store, expected, random);
        }
    }

    private static void writeConcurrently(
        final Peer peer, final PeerStore store, final long seed, final TreeMap<byte[], byte[]> expected)
    {
        final List<Map<byte[], byte[]>> writes = new ArrayList<>();
        final Random random = new Random(seed);
        for (int w = 0; w < WRITERS; w++)
        {
            final Map<byte[], byte[]> mine = new TreeMap<>(Arrays::compareUnsigned);
            while (mine.size() < 100)
            {
                final byte[] key = bytes(random, 25 + random.nextInt(8));
                key[0] = (byte)w;
                mine.put(key, bytes(random, 1 + random.nextInt(200)));
            }
            writes.add(mine);
            expected.putAll(mine);
        }
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (final Map<byte[], byte[]> mine : writes)
            {
                done.add(pool.submit(() -> mine.forEach((key, value) -> store.put(key.clone(), value.clone()))));
            }
            for (final Future<?> future : done)
            {
                future.get();
            }
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(peer.displayName() + ": concurrent writers failed: " + ex, ex);
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static void verify(
        final Peer peer,
        final String when,
        final PeerStore store,
        final TreeMap<byte[], byte[]> expected,
        final Random random)
    {
        for (final Map.Entry<byte[], byte[]> entry : expected.entrySet())
        {
            final byte[] actual = store.get(entry.getKey().clone());
            require(peer, when, Arrays.equals(entry.getValue(), actual),
                "get(" + hex(entry.getKey()) + ") returned " + (actual == null ? "null" : hex(actual)));
        }
        final byte[] absent = new byte[40];
        require(peer, when, store.get(absent) == null, "get of an absent key returned a value");

        final List<Map.Entry<byte[], byte[]>> all = new ArrayList<>(expected.entrySet());
        compare(peer, when, "ascending scan of everything", all, scanned(store, null, Long.MAX_VALUE, false));
        final byte[] from = all.get(random.nextInt(all.size())).getKey();
        final List<Map.Entry<byte[], byte[]>> tail = new ArrayList<>(expected.tailMap(from, true).entrySet());
        compare(peer, when, "ascending scan of 50 from " + hex(from), tail.subList(0, Math.min(50, tail.size())),
            scanned(store, from.clone(), 50, false));
        final byte[] between = Arrays.copyOf(from, from.length + 1);
        final List<Map.Entry<byte[], byte[]>> after = new ArrayList<>(expected.tailMap(between, true).entrySet());
        compare(peer, when, "ascending scan of 20 from an absent key", after.subList(0, Math.min(20, after.size())),
            scanned(store, between, 20, false));
        final List<Map.Entry<byte[], byte[]>> reversed = new ArrayList<>(expected.descendingMap().entrySet());
        compare(peer, when, "descending scan of everything", reversed,
            scanned(store, null, Long.MAX_VALUE, true));
        compare(peer, when, "descending scan of 10", reversed.subList(0, 10), scanned(store, null, 10, true));
    }

    private static List<byte[][]> scanned(
        final PeerStore store, final byte[] start, final long limit, final boolean descending)
    {
        final List<byte[][]> entries = new ArrayList<>();
        final long count = descending
            ? store.scanDescending(limit, (key, value) -> entries.add(new byte[][] {key, value}))
            : store.scan(start, limit, (key, value) -> entries.add(new byte[][] {key, value}));
        if (count != entries.size())
        {
            throw new IllegalStateException("scan reported " + count + " entries but visited " + entries.size());
        }
        return entries;
    }

    private static void compare(
        final Peer peer,
        final String when,
        final String what,
        final List<Map.Entry<byte[], byte[]>> expected,
        final List<byte[][]> actual)
    {
        require(peer, when, expected.size() == actual.size(),
            what + " visited " + actual.size() + " entries, expected " + expected.size());
        for (int i = 0; i < expected.size(); i++)
        {
            final Map.Entry<byte[], byte[]> want = expected.get(i);
            final byte[][] got = actual.get(i);
            require(peer, when, Arrays.equals(want.getKey(), got[0]) && Arrays.equals(want.getValue(), got[1]),
                what + ": entry " + i + " is " + hex(got[0]) + ", expected " + hex(want.getKey()));
        }
    }

    private static void require(final Peer peer, final String when, final boolean holds, final String problem)
    {
        if (!holds)
        {
            throw new IllegalStateException(peer.displayName() + " failed the correctness check " + when + ": "
                + problem + "; its figures would not be comparable, so it is not timed");
        }
    }

    private static byte[] bytes(final Random random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return text.toString();
    }
}
