package dev.tidemark.mvcc;

import dev.tidemark.Durability;
import dev.tidemark.wal.WriteAheadLog;
import java.util.ArrayList;
import java.util.List;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One system change of whole pages, composed on copies and then made real in one step: the new images and the
 * freed pages go to the log as a single {@link PagesRecord}, and only then are the images copied into the pages
 * (through the record, as redo would) and the pages marked dirty at its LSN. A crash sees all of it or none.
 *
 * <p>The caller holds EXCLUSIVE handles of the pages it {@link #edit}s; pages {@link #create}d here are reserved
 * and released by the batch. Not thread-safe: one per writing thread.
 */
final class SmoBatch
{
    private final PageStore pages;
    private final List<UnsafeBuffer> images = new ArrayList<>();
    private final List<PageHandle> handles = new ArrayList<>();
    private final List<Boolean> reserved = new ArrayList<>();
    private final int[] types = new int[256];
    private final LongArrayList frees = new LongArrayList();
    private final PagesRecord record = new PagesRecord();
    private int count;

    SmoBatch(final PageStore pages)
    {
        this.pages = pages;
    }

    /** @return a copy of the body of {@code handle} (EXCLUSIVE) to change; the same copy when asked again. */
    MutableDirectBuffer edit(final PageHandle handle)
    {
        for (int i = 0; i < count; i++)
        {
            if (handles.get(i).pageId() == handle.pageId())
            {
                return images.get(i);
            }
        }
        final UnsafeBuffer image = add(handle, false, handle.pageType());
        image.putBytes(0, handle.body(), 0, handle.body().capacity());
        return image;
    }

    /** @return the image of {@code handle} when the batch changes it, else its body as it is. */
    MutableDirectBuffer current(final PageHandle handle)
    {
        for (int i = 0; i < count; i++)
        {
            if (handles.get(i).pageId() == handle.pageId())
            {
                return images.get(i);
            }
        }
        return handle.body();
    }

    /** Drops the image of {@code handle} (a page the batch frees instead). */
    void forget(final PageHandle handle)
    {
        for (int i = 0; i < count; i++)
        {
            if (handles.get(i).pageId() == handle.pageId())
            {
                if (reserved.get(i))
                {
                    throw new IllegalStateException("a page reserved by the batch cannot be forgotten");
                }
                images.add(images.remove(i));
                handles.remove(i);
                handles.add(null);
                reserved.remove(i);
                reserved.add(Boolean.FALSE);
                System.arraycopy(types, i + 1, types, i, count - i - 1);
                count--;
                return;
            }
        }
    }

    /** @return the zeroed body of a newly reserved page of {@code type}; its id is {@link #pageId(int)} of it. */
    MutableDirectBuffer create(final int type)
    {
        final PageHandle handle = pages.reserve();
        final UnsafeBuffer image = add(handle, true, type);
        image.setMemory(0, image.capacity(), (byte)0);
        return image;
    }

    /** @return the page id of the page whose image is {@code image}. */
    long pageIdOf(final MutableDirectBuffer image)
    {
        for (int i = 0; i < count; i++)
        {
            if (images.get(i) == image)
            {
                return handles.get(i).pageId();
            }
        }
        throw new IllegalArgumentException("not an image of this batch");
    }

    /** Sets the page type an image will carry. */
    void type(final MutableDirectBuffer image, final int type)
    {
        for (int i = 0; i < count; i++)
        {
            if (images.get(i) == image)
            {
                types[i] = type;
                return;
            }
        }
        throw new IllegalArgumentException("not an image of this batch");
    }

    /** Frees {@code pageId} with the batch. The caller may hold its handle. */
    void free(final long pageId)
    {
        frees.addLong(pageId);
    }

    boolean isEmpty()
    {
        return count == 0 && frees.isEmpty();
    }

    private UnsafeBuffer add(final PageHandle handle, final boolean isReserved, final int type)
    {
        if (count == types.length)
        {
            throw new IllegalStateException("a page change of more than " + types.length + " pages");
        }
        if (images.size() == count)
        {
            images.add(new UnsafeBuffer(new byte[pages.bodySize()]));
            handles.add(null);
            reserved.add(Boolean.FALSE);
        }
        handles.set(count, handle);
        reserved.set(count, isReserved);
        types[count] = type;
        return images.get(count++);
    }

    /**
     * Logs the batch as one record, applies it to the pages and frees the freed pages. Releases the reserved
     * pages; the caller still owns the handles it passed to {@link #edit}.
     *
     * @return the LSN of the record
     */
    long commit(final WriteAheadLog wal, final ExpandableDirectByteBuffer buffer)
    {
        try
        {
            int length = PagesRecord.writeHeader(buffer, count, frees.size());
            for (int i = 0; i < count; i++)
            {
                final UnsafeBuffer image = images.get(i);
                final int prefix = prefix(types[i], image);
                final int suffix = suffix(types[i], image);
                buffer.checkLimit(length + PagesRecord.imageLength(prefix, suffix));
                length = PagesRecord.writeImage(buffer, length, handles.get(i).pageId(), types[i], image, prefix,
                    suffix);
            }
            for (int i = 0; i < frees.size(); i++)
            {
                buffer.checkLimit(length + Long.BYTES);
                length = PagesRecord.writeFree(buffer, length, frees.getLong(i));
            }
            final long lowerBound = wal.lastAppendedLsn() + 1;
            for (int i = 0; i < count; i++)
            {
                handles.get(i).preDirty(lowerBound);
            }
            final long lsn = wal.append(LogRecordTypes.TREE_PAGES, buffer, 0, length, Durability.NONE);
            apply(buffer, length, lsn);
            return lsn;
        }
        catch (final RuntimeException ex)
        {
            abandon();
            throw ex;
        }
    }

    private void apply(final ExpandableDirectByteBuffer buffer, final int length, final long lsn)
    {
        record.wrap(buffer, 0, length);
        int image = record.firstImage();
        for (int i = 0; i < count; i++)
        {
            final PageHandle handle = handles.get(i);
            record.applyImage(image, handle.pageBuffer(), handle.body());
            handle.markDirty(lsn);
            image = record.nextImage(image);
        }
        for (int i = 0; i < count; i++)
        {
            if (reserved.get(i))
            {
                handles.get(i).close();
            }
            handles.set(i, null);
        }
        count = 0;
        for (int i = 0; i < frees.size(); i++)
        {
            pages.free(frees.getLong(i), lsn);
        }
        frees.clear();
    }

    /** Drops the batch: reserved pages go back to the free list, nothing was logged. */
    void abandon()
    {
        for (int i = 0; i < count; i++)
        {
            if (reserved.get(i))
            {
                pages.unreserve(handles.get(i));
            }
            handles.set(i, null);
        }
        count = 0;
        frees.clear();
    }

    private static int prefix(final int type, final UnsafeBuffer image)
    {
        if (type == NodeLayout.TYPE_LEAF || type == NodeLayout.TYPE_INNER)
        {
            return NodeLayout.slotsEnd(image);
        }
        if (type == OverflowLayout.TYPE_OVERFLOW)
        {
            return OverflowLayout.HEADER_LENGTH + OverflowLayout.used(image);
        }
        return image.capacity();
    }

    private static int suffix(final int type, final UnsafeBuffer image)
    {
        if (type == NodeLayout.TYPE_LEAF || type == NodeLayout.TYPE_INNER)
        {
            return image.capacity() - NodeLayout.heapStart(image);
        }
        return 0;
    }
}
