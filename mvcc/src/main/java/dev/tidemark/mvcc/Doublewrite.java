package dev.tidemark.mvcc;

import dev.tidemark.CrashPoint;
import dev.tidemark.CrashPoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Torn-page protection: every page reaches its home through the doublewrite area of its file.
 *
 * <p>A batch of up to {@code D} page images is written (1) into the doublewrite slots, then (2) the doublewrite
 * header naming the batch's pages and their checksums, (3) the file is forced, (4) each page is written to its
 * home, (5) the file is forced again. A crash tears at most the writes after the last force:
 * <ul>
 * <li>before (3) completes, no home was touched; the header fails its checksum, or a slot does not match the
 *     checksum the header lists for it (whatever order the writes reached the disk in), and the batch is ignored
 *     on open;</li>
 * <li>after (3), the header and every slot are valid and {@link #repair()} copies every slot to its home,
 *     replacing whatever (4) left there, torn or not. The header always describes the last batch, whose slots are
 *     the newest images of their pages, so the copy is idempotent and an open that crashes is simply run again.</li>
 * </ul>
 * A batch is therefore all-or-nothing on disk.
 *
 * <p>Not thread-safe: used under the buffer pool's flush lock (and once at open, before the pool exists).
 */
final class Doublewrite
{
    private static final Logger LOG = LoggerFactory.getLogger(Doublewrite.class);

    private final PageFile file;
    private final int pageSize;
    private final ByteBuffer staging;
    private final ByteBuffer[] slots;
    private final ByteBuffer header;
    private final long[] pageIds;
    private final int[] checksums;
    private final CRC32C crc = new CRC32C();
    private long sequence;
    private int count;

    Doublewrite(final PageFile file)
    {
        this.file = file;
        this.pageSize = file.pageSize();
        final int capacity = file.doublewriteSlots();
        this.staging = ByteBuffer.allocateDirect(capacity * pageSize).order(ByteOrder.LITTLE_ENDIAN);
        this.slots = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = PageLayout.slice(staging, i * pageSize, pageSize);
        }
        this.header = PageFile.newPageBuffer(pageSize);
        this.pageIds = new long[capacity];
        this.checksums = new int[capacity];
    }

    int capacity()
    {
        return slots.length;
    }

    int count()
    {
        return count;
    }

    long pageId(final int slot)
    {
        return pageIds[slot];
    }

    ByteBuffer slot(final int slot)
    {
        return slots[slot];
    }

    /** @return the next free slot, now assigned to {@code pageId}; fill it through {@link #slot(int)}. */
    int add(final long pageId)
    {
        pageIds[count] = pageId;
        return count++;
    }

    /** Forgets the pages added since the last write. */
    void clear()
    {
        count = 0;
    }

    /** Writes the added pages through the doublewrite area to their homes (steps 1 to 5 above), then clears. */
    void write() throws IOException
    {
        if (count == 0)
        {
            return;
        }
        for (int i = 0; i < count; i++)
        {
            PageLayout.seal(slots[i], crc);
            checksums[i] = slots[i].getInt(PageLayout.CRC_OFFSET);
        }
        staging.clear().limit(count * pageSize);
        file.writeRaw(PageFileLayout.FIRST_DOUBLEWRITE_SLOT, staging);
        PageFileLayout.writeDoublewriteHeader(header, ++sequence, pageIds, checksums, count);
        PageLayout.seal(header, crc);
        header.clear();
        file.writeRaw(PageFileLayout.DOUBLEWRITE_HEADER_PAGE, header);
        file.force();
        CrashPoints.reached(CrashPoint.PAGES_IN_DOUBLEWRITE);
        for (int i = 0; i < count; i++)
        {
            slots[i].clear();
            file.writeRaw(pageIds[i], slots[i]);
            slots[i].clear();
            if (i == (count - 1) / 2)
            {
                CrashPoints.reached(CrashPoint.PAGE_WRITE_MIDWAY);
            }
        }
        file.force();
        count = 0;
    }

    /**
     * Completes the last batch after a crash: when the doublewrite header and all its slots are valid, copies each
     * slot to its home and forces the file. Called once at open, before any page is read.
     *
     * @return the number of home pages that differed from their doublewrite copy and were rewritten
     */
    int repair() throws IOException
    {
        file.readRaw(PageFileLayout.DOUBLEWRITE_HEADER_PAGE, header);
        final PageLayout.Check headerCheck = PageLayout.check(header, PageFileLayout.DOUBLEWRITE_HEADER_PAGE, crc);
        if (headerCheck != PageLayout.Check.VALID)
        {
            if (headerCheck != PageLayout.Check.ZERO)
            {
                LOG.info("{}: doublewrite header is {}: the last batch was never forced and no home page was "
                    + "touched", file.path(), headerCheck);
            }
            return 0;
        }
        sequence = header.getLong(PageFileLayout.BATCH_SEQUENCE_OFFSET);
        final int batch = header.getInt(PageFileLayout.BATCH_COUNT_OFFSET);
        if (batch < 0 || batch > slots.length)
        {
            return 0;
        }
        for (int i = 0; i < batch; i++)
        {
            pageIds[i] = header.getLong(PageFileLayout.entryOffset(i) + PageFileLayout.ENTRY_PAGE_ID_OFFSET);
            final int expectedCrc = header.getInt(PageFileLayout.entryOffset(i) + PageFileLayout.ENTRY_CRC_OFFSET);
            file.readRaw(PageFileLayout.FIRST_DOUBLEWRITE_SLOT + i, slots[i]);
            if (PageLayout.check(slots[i], pageIds[i], crc) != PageLayout.Check.VALID
                || slots[i].getInt(PageLayout.CRC_OFFSET) != expectedCrc
                || pageIds[i] < file.firstDataPage() || pageIds[i] >= file.pageCount())
            {
                LOG.info("{}: doublewrite slot {} is not a valid copy: the last batch was never forced",
                    file.path(), i);
                return 0;
            }
        }
        final ByteBuffer home = PageFile.newPageBuffer(pageSize);
        int repaired = 0;
        for (int i = 0; i < batch; i++)
        {
            file.readRaw(pageIds[i], home);
            if (!home.equals(slots[i].clear()))
            {
                slots[i].clear();
                file.writeRaw(pageIds[i], slots[i]);
                repaired++;
            }
            slots[i].clear();
        }
        if (repaired > 0)
        {
            file.force();
            LOG.info("{}: restored {} of the {} pages of the last doublewrite batch", file.path(), repaired, batch);
        }
        return repaired;
    }
}
