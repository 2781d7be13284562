package dev.tidemark.mvcc;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The {@link LogRecordTypes#TREE_PAGES} record: a system change of whole pages, redo-only, applied all or nothing
 * because it is one record. A split, a merge, a new root, overflow pages and the freeing of pages are each one such
 * record, so that a transaction's rollback never undoes the shape of a tree.
 *
 * <pre>
 *   0       1       2               4
 *  +-------+-------+---------------+-------------------------------+
 *  |Version|   0   |  Image Count  |          Free Count           |  0
 *  +-------+-------+---------------+-------------------------------+
 *  image:  [u64 page id][u8 page type][u8 0][u16 0][u32 prefix length][u32 suffix length][prefix][suffix]
 *  free:   [u64 page id]
 * </pre>
 *
 * An image gives a page's type and body: the body's first {@code prefix} bytes, its last {@code suffix} bytes, and
 * zeros between (a node's slots and its entries, without the free space between them). A freed page becomes a
 * FREE page.
 */
final class PagesRecord
{
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 8;
    static final int IMAGE_HEADER_LENGTH = 20;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    PagesRecord wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || (buffer.getByte(offset) & 0xFF) != VERSION)
        {
            throw new RedoMismatchException("tree pages record of " + length + " bytes, version "
                + (length > 0 ? buffer.getByte(offset) & 0xFF : -1) + ", is not one this build reads");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    int imageCount()
    {
        return buffer.getShort(offset + 2) & 0xFFFF;
    }

    int freeCount()
    {
        return buffer.getInt(offset + 4);
    }

    /** @return the offset of the first image; pass it to {@link #nextImage}. */
    int firstImage()
    {
        return offset + HEADER_LENGTH;
    }

    int nextImage(final int image)
    {
        return image + IMAGE_HEADER_LENGTH + prefixLength(image) + suffixLength(image);
    }

    long imagePageId(final int image)
    {
        return buffer.getLong(image);
    }

    int imageType(final int image)
    {
        return buffer.getByte(image + 8) & 0xFF;
    }

    int prefixLength(final int image)
    {
        return buffer.getInt(image + 12);
    }

    int suffixLength(final int image)
    {
        return buffer.getInt(image + 16);
    }

    /** @return the offset of the free list, after the last image. */
    int freesOffset()
    {
        int image = firstImage();
        for (int i = 0; i < imageCount(); i++)
        {
            image = nextImage(image);
        }
        return image;
    }

    long freedPageId(final int freesOffset, final int index)
    {
        return buffer.getLong(freesOffset + Long.BYTES * index);
    }

    int length()
    {
        return length;
    }

    /** Copies the image at {@code image} into a whole page (header and body); the caller sets the page LSN. */
    void applyImage(final int image, final MutableDirectBuffer page, final MutableDirectBuffer body)
    {
        final int prefix = prefixLength(image);
        final int suffix = suffixLength(image);
        if (prefix + suffix > body.capacity())
        {
            throw new RedoMismatchException("image of page " + imagePageId(image) + " holds " + (prefix + suffix)
                + " bytes, more than a page body of " + body.capacity());
        }
        page.putByte(PageLayout.TYPE_OFFSET, (byte)imageType(image));
        final int data = image + IMAGE_HEADER_LENGTH;
        body.putBytes(0, buffer, data, prefix);
        body.setMemory(prefix, body.capacity() - prefix - suffix, (byte)0);
        body.putBytes(body.capacity() - suffix, buffer, data + prefix, suffix);
    }

    /** Writes the record header; images and frees follow through {@link #writeImage} and {@link #writeFree}. */
    static int writeHeader(final MutableDirectBuffer to, final int imageCount, final int freeCount)
    {
        to.putByte(0, (byte)VERSION);
        to.putByte(1, (byte)0);
        to.putShort(2, (short)imageCount);
        to.putInt(4, freeCount);
        return HEADER_LENGTH;
    }

    /**
     * Writes the image of a page body at {@code at}: the first {@code prefix} and last {@code suffix} bytes.
     *
     * @return the offset after the image
     */
    static int writeImage(final MutableDirectBuffer to, final int at, final long pageId, final int pageType,
        final DirectBuffer body, final int prefix, final int suffix)
    {
        to.putLong(at, pageId);
        to.putByte(at + 8, (byte)pageType);
        to.putByte(at + 9, (byte)0);
        to.putShort(at + 10, (short)0);
        to.putInt(at + 12, prefix);
        to.putInt(at + 16, suffix);
        to.putBytes(at + IMAGE_HEADER_LENGTH, body, 0, prefix);
        to.putBytes(at + IMAGE_HEADER_LENGTH + prefix, body, body.capacity() - suffix, suffix);
        return at + IMAGE_HEADER_LENGTH + prefix + suffix;
    }

    static int imageLength(final int prefix, final int suffix)
    {
        return IMAGE_HEADER_LENGTH + prefix + suffix;
    }

    static int writeFree(final MutableDirectBuffer to, final int at, final long pageId)
    {
        to.putLong(at, pageId);
        return at + Long.BYTES;
    }
}
