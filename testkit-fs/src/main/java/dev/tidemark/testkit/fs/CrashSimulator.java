package dev.tidemark.testkit.fs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the disk a reboot sees from a {@link FrozenState}, by one {@link CrashMode}, drawing every random choice
 * from one seeded generator in a fixed order (directories by path, then files by inode number), so that a seed
 * reproduces the image.
 *
 * <p>Not thread-safe; used once, by one thread.
 */
final class CrashSimulator
{
    private final FrozenState frozen;
    private final CrashMode mode;
    private final SplittableRandom random;

    CrashSimulator(final FrozenState frozen, final CrashMode mode, final SplittableRandom random)
    {
        this.frozen = frozen;
        this.mode = mode;
        this.random = random;
    }

    /** The files and directories after the crash; paths naming one file share one image. */
    record RebootImage(NavigableSet<Path> directories, NavigableMap<Path, ByteImage> files)
    {
    }

    RebootImage run()
    {
        final NavigableMap<Path, Inode> names = new TreeMap<>(frozen.durableFiles());
        frozen.pendingDirOps().values().forEach(ops -> ops.subList(0, survivors(ops.size()))
            .forEach(op -> op.applyTo(names)));

        final List<Inode> inodes = new ArrayList<>(new HashSet<>(names.values()));
        inodes.sort(Comparator.comparingLong(Inode::id));
        final Map<Inode, ByteImage> images = new IdentityHashMap<>();
        inodes.forEach(inode -> images.put(inode, crash(frozen.file(inode))));

        final NavigableMap<Path, ByteImage> files = new TreeMap<>();
        names.forEach((path, inode) -> files.put(path, images.get(inode)));
        return new RebootImage(frozen.directories(), files);
    }

    private ByteImage crash(final FrozenState.FrozenFile file)
    {
        final ByteImage image = file.durable().copy();
        final List<PendingOp> ops = file.pending();
        switch (mode)
        {
            case DROP_ALL:
                break;
            case RANDOM_SUBSET:
                for (final PendingOp op : ops)
                {
                    if (random.nextBoolean())
                    {
                        op.applyTo(image);
                    }
                }
                break;
            case TORN_512:
            case TORN_4K:
                tear(image, ops, mode == CrashMode.TORN_512 ? Inode.SECTOR : 4096);
                break;
            case GARBAGE:
                garble(image, ops);
                break;
            default:
                ops.subList(0, survivors(ops.size())).forEach(op -> op.applyTo(image));
                break;
        }
        return image;
    }

    /** @return how many of {@code count} pending changes survive under a prefix rule. */
    private int survivors(final int count)
    {
        return mode == CrashMode.DROP_ALL ? 0 : random.nextInt(count + 1);
    }

    private void tear(final ByteImage image, final List<PendingOp> ops, final int alignment)
    {
        final int kept = survivors(ops.size());
        ops.subList(0, kept).forEach(op -> op.applyTo(image));
        if (kept < ops.size() && ops.get(kept) instanceof PendingOp.Write)
        {
            final List<PendingOp.Write> pieces = ((PendingOp.Write)ops.get(kept)).pieces(alignment);
            if (pieces.size() > 1)
            {
                pieces.subList(0, 1 + random.nextInt(pieces.size() - 1)).forEach(piece -> piece.applyTo(image));
            }
        }
    }

    /**
     * Keeps a prefix of the pending changes; every byte of the writes that did not survive holds random bytes.
     * Garbage stays inside the lost writes' own ranges: drives write sectors atomically, so bytes a lost write did
     * not cover (durable data sharing its sector) keep their old value, as every WAL and SQLite's powersafe
     * overwrite assume.
     */
    private void garble(final ByteImage image, final List<PendingOp> ops)
    {
        final int kept = survivors(ops.size());
        ops.subList(0, kept).forEach(op -> op.applyTo(image));
        for (final PendingOp op : ops.subList(kept, ops.size()))
        {
            if (op instanceof PendingOp.Write)
            {
                final PendingOp.Write write = (PendingOp.Write)op;
                final long end = Math.min(image.length(), write.end());
                for (long at = write.offset(); at < end; at++)
                {
                    image.put((int)at, (byte)random.nextInt(256));
                }
            }
        }
    }
}
