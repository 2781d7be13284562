package dev.tidemark.testkit.fs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One simulated file: its current content (what reads and mappings see, like a page cache), its durable image
 * (what survives a crash for sure) and the pending operations between the two.
 *
 * <p>Model. {@code current} always equals the clean base (the durable image, or {@code cleanBase} after a failed
 * force dropped pending data) with the explicit pending operations replayed on it, except where a mapping wrote:
 * those writes are found at crash time as the 512-byte sectors where the two differ, and count as pending writes
 * issued after the explicit ones, in ascending offset order. {@code cleanBase} is {@code null} while it equals the
 * durable image, which is always, unless {@link FailedForce#DROP_PENDING} dropped data.
 *
 * <p>Not thread-safe: {@link SimulatedFileSystem} calls it under its lock. Mapped buffers write into the current
 * array without the lock; when the array is reallocated (the file grew past its capacity) every live mapping is
 * re-wrapped onto the new array.
 */
final class Inode
{
    /** Granularity of mapping writeback, torn pieces of {@link CrashMode#TORN_512} and garbage. */
    static final int SECTOR = 512;

    private final long id;
    private final ByteImage current;
    private final List<PendingOp> explicitOps = new ArrayList<>();
    private final List<SimMappedRegion> mappings = new ArrayList<>();
    private ByteImage durable;
    private ByteImage cleanBase;
    private boolean mappedSinceClean;
    private int links;
    private int handles;

    Inode(final long id, final ByteImage content)
    {
        this.id = id;
        this.current = content.copy();
        this.durable = content;
    }

    long id()
    {
        return id;
    }

    long length()
    {
        return current.length();
    }

    ByteImage durable()
    {
        return durable;
    }

    byte[] currentBytes()
    {
        return current.toByteArray();
    }

    int read(final ByteBuffer dst, final long position)
    {
        return current.read(dst, position);
    }

    void write(final long position, final byte[] data)
    {
        explicitOps.add(new PendingOp.Write(position, data));
        final byte[] before = current.array();
        current.write(position, data, 0, data.length);
        rewrapIfMoved(before);
    }

    void setLength(final long length)
    {
        explicitOps.add(new PendingOp.SetLength(length));
        final byte[] before = current.array();
        current.setLength(length);
        rewrapIfMoved(before);
    }

    /**
     * {@code fsync}: when it {@code succeeded} every pending change (length included) reaches the durable image;
     * when it failed (a failed force under {@link FailedForce#DROP_PENDING}) the pending changes are forgotten as
     * the kernel forgets pages whose writeback failed: reads still see them, a crash loses them.
     */
    void forceAll(final boolean succeeded)
    {
        if (succeeded)
        {
            if (cleanBase == null && !mappedSinceClean)
            {
                explicitOps.forEach(op -> op.applyTo(durable));
            }
            else if (cleanBase == null)
            {
                durable.copyFrom(current);
            }
            else
            {
                final ByteImage written = replay(durable, pendingOps());
                written.setLength(current.length());
                durable = written;
            }
        }
        explicitOps.clear();
        if (cleanBase != null || !succeeded)
        {
            cleanBase = succeeded && durable.contentEquals(current) ? null : current.copy();
        }
        mappedSinceClean = !mappings.isEmpty();
    }

    /**
     * {@code msync} of file range {@code [from, to)}: the part of the range inside every length the file may
     * have after a crash (its durable length and every pending length) becomes durable, explicit pending writes
     * inside it included; the rest of the range stays pending. When it did not {@code succeed}, that part is
     * dropped as in {@link #forceAll(boolean)}.
     */
    void forceRange(final long from, final long to, final boolean succeeded)
    {
        long end = Math.min(to, Math.min(current.length(), durable.length()));
        if (cleanBase != null)
        {
            end = Math.min(end, cleanBase.length());
        }
        for (final PendingOp op : explicitOps)
        {
            if (op instanceof PendingOp.SetLength)
            {
                end = Math.min(end, ((PendingOp.SetLength)op).length());
            }
        }
        if (from >= end)
        {
            return;
        }
        final int start = (int)from;
        final int stop = (int)end;
        if (succeeded && cleanBase == null)
        {
            durable.copyRange(current, start, stop);
        }
        else if (succeeded)
        {
            durable.copyRange(replay(durable, pendingOps()), start, stop);
            cleanBase.copyRange(current, start, stop);
        }
        else
        {
            if (cleanBase == null)
            {
                cleanBase = durable.copy();
            }
            cleanBase.copyRange(current, start, stop);
        }
        final List<PendingOp> kept = new ArrayList<>(explicitOps.size());
        for (final PendingOp op : explicitOps)
        {
            if (op instanceof PendingOp.Write)
            {
                kept.addAll(((PendingOp.Write)op).without(start, stop));
            }
            else
            {
                kept.add(op);
            }
        }
        explicitOps.clear();
        explicitOps.addAll(kept);
    }

    /** @return every pending change in the order a crash considers them: explicit ones, then mapped sectors. */
    List<PendingOp> pendingOps()
    {
        final List<PendingOp> ops = new ArrayList<>(explicitOps);
        if (!mappedSinceClean)
        {
            return ops;
        }
        final ByteImage expected = replay(cleanBase != null ? cleanBase : durable, explicitOps);
        final int length = current.length();
        expected.setLength(length);
        for (int sector = 0; sector < length; sector += SECTOR)
        {
            final int end = Math.min(length, sector + SECTOR);
            if (!current.rangeEquals(expected, sector, end))
            {
                ops.add(new PendingOp.Write(sector, Arrays.copyOfRange(current.array(), sector, end)));
            }
        }
        return ops;
    }

    boolean hasPendingChanges()
    {
        return !explicitOps.isEmpty() || cleanBase != null || mappedSinceClean;
    }

    /** XORs a durable byte; a file with nothing pending shows it at once, as a re-read page would. */
    void corruptDurable(final int offset, final int xorMask)
    {
        final boolean clean = !hasPendingChanges();
        durable.put(offset, (byte)(durable.get(offset) ^ xorMask));
        if (clean)
        {
            current.put(offset, durable.get(offset));
        }
    }

    byte[] currentArray()
    {
        return current.array();
    }

    void addMapping(final SimMappedRegion region)
    {
        mappings.add(region);
        mappedSinceClean = true;
    }

    void removeMapping(final SimMappedRegion region)
    {
        mappings.remove(region);
    }

    void link()
    {
        links++;
    }

    void unlink()
    {
        links--;
    }

    void opened()
    {
        handles++;
    }

    void closed()
    {
        handles--;
    }

    /** @return whether a name, an open handle or a mapping still holds this file, so it takes space. */
    boolean isLive()
    {
        return links > 0 || handles > 0 || !mappings.isEmpty();
    }

    String describe()
    {
        return "inode " + id + ": length " + current.length() + ", durable length " + durable.length()
            + ", " + explicitOps.size() + " explicit pending " + explicitOps.subList(0, Math.min(8, explicitOps.size()))
            + (explicitOps.size() > 8 ? "..." : "") + (mappedSinceClean ? ", mapped" : "")
            + (cleanBase != null ? ", dropped writes after a failed force" : "");
    }

    private void rewrapIfMoved(final byte[] before)
    {
        if (current.array() != before)
        {
            mappings.forEach(region -> region.rewrap(current.array()));
        }
    }

    private static ByteImage replay(final ByteImage base, final List<PendingOp> ops)
    {
        final ByteImage image = base.copy();
        ops.forEach(op -> op.applyTo(image));
        return image;
    }
}
