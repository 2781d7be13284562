package dev.tidemark.snapshot;

import dev.tidemark.CorruptionException;
import dev.tidemark.CrashPoint;
import dev.tidemark.CrashPoints;
import dev.tidemark.UnsupportedFormatException;
import dev.tidemark.io.FileHandle;
import dev.tidemark.io.FileIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The master record: the small file {@code MASTER} in the database directory naming the last checkpoint. It is
 * replaced whole: written under a temporary name, forced, renamed over the old one, directory forced.
 *
 * <pre>
 *   0 u32 magic "TMMR" | 4 u16 version (2) | 6 u16 0
 *   8 u64 checkpoint begin LSN (the CHECKPOINT_BEGIN record; 0 before the first)
 *  16 u64 next transaction id
 *  24 u64 last commit timestamp
 *  32 u32 page size | 36 u32 flags: bit 0 = written by a clean close (no change can follow it)
 *  40 u64 checkpoint end LSN (the CHECKPOINT_END record holding the checkpoint's tables)
 *  48 u32 CRC32C of bytes 0..47
 * </pre>
 * Version 1 (44 bytes: no end LSN, the CRC at 40) is still read: its checkpoint has no tables, so recovery reads the
 * whole log kept.
 */
public final class MasterRecord
{
    public static final String FILE_NAME = "MASTER";
    private static final int MAGIC = 0x524D4D54;
    private static final int VERSION = 2;
    private static final int LENGTH = 52;
    private static final int V1_LENGTH = 44;
    private static final int CLOSED_CLEANLY = 1;

    private final long checkpointLsn;
    private final long checkpointEndLsn;
    private final long nextTxnId;
    private final long lastTimestamp;
    private final int pageSize;
    private final boolean closedCleanly;

    public MasterRecord(final long checkpointLsn, final long checkpointEndLsn, final long nextTxnId,
        final long lastTimestamp, final int pageSize, final boolean closedCleanly)
    {
        this.checkpointEndLsn = checkpointEndLsn;
        this.closedCleanly = closedCleanly;
        this.checkpointLsn = checkpointLsn;
        this.nextTxnId = nextTxnId;
        this.lastTimestamp = lastTimestamp;
        this.pageSize = pageSize;
    }

    /** @return the master record of {@code directory}, or null when it has none */
    public static MasterRecord read(final FileIo io, final Path directory) throws IOException
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!io.exists(file))
        {
            return null;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        try (FileHandle handle = io.open(file, FileIo.OpenMode.READ))
        {
            final long size = handle.size();
            if (size != LENGTH && size != V1_LENGTH)
            {
                throw new CorruptionException(file, 0, "the master record holds " + size + " bytes, not "
                    + LENGTH + " (or " + V1_LENGTH + " for version 1); restore the database from a backup");
            }
            bytes.limit((int)size);
            handle.readFully(bytes, 0);
        }
        if (bytes.getInt(0) != MAGIC)
        {
            throw new CorruptionException(file, 0, "not a Tidemark master record (bad magic)");
        }
        final int version = bytes.getShort(4);
        if (version != VERSION && version != 1)
        {
            throw new UnsupportedFormatException("master record " + file + " has version " + version
                + "; this build reads versions 1 and " + VERSION);
        }
        final int length = version == 1 ? V1_LENGTH : LENGTH;
        if (bytes.limit() != length)
        {
            throw new CorruptionException(file, 0, "the master record of version " + version + " holds "
                + bytes.limit() + " bytes, not " + length + "; restore the database from a backup");
        }
        if (bytes.getInt(length - 4) != crc(bytes, length - 4))
        {
            throw new CorruptionException(file, length - 4, "the master record fails its checksum");
        }
        return new MasterRecord(bytes.getLong(8), version == 1 ? 0 : bytes.getLong(40), bytes.getLong(16),
            bytes.getLong(24), bytes.getInt(32), (bytes.getInt(36) & CLOSED_CLEANLY) != 0);
    }

    /** @return the LSN of the last complete checkpoint's begin record; 0 before the first */
    public long checkpointLsn()
    {
        return checkpointLsn;
    }

    /** @return the LSN of the same checkpoint's end record (its tables); 0 in a version 1 record */
    public long checkpointEndLsn()
    {
        return checkpointEndLsn;
    }

    /** @return the next transaction id when it was written */
    public long nextTxnId()
    {
        return nextTxnId;
    }

    /** @return the last published commit timestamp when it was written */
    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /** @return the page size of the page file */
    public int pageSize()
    {
        return pageSize;
    }

    /** @return whether a clean close wrote it (nothing can follow its checkpoint) */
    public boolean closedCleanly()
    {
        return closedCleanly;
    }

    /** @return the LSN of this checkpoint's last record: a database closed cleanly has nothing after it */
    public long lastCheckpointRecord()
    {
        return Math.max(checkpointLsn, checkpointEndLsn);
    }

    /** Replaces the master record of {@code directory} durably. */
    public void write(final FileIo io, final Path directory) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, MAGIC);
        bytes.putShort(4, (short)VERSION);
        bytes.putLong(8, checkpointLsn);
        bytes.putLong(16, nextTxnId);
        bytes.putLong(24, lastTimestamp);
        bytes.putInt(32, pageSize);
        bytes.putInt(36, closedCleanly ? CLOSED_CLEANLY : 0);
        bytes.putLong(40, checkpointEndLsn);
        bytes.putInt(48, crc(bytes, 48));
        final Path temporary = directory.resolve(FILE_NAME + ".tmp");
        io.delete(temporary);
        try (FileHandle handle = io.open(temporary, FileIo.OpenMode.CREATE_NEW))
        {
            handle.write(bytes, 0);
            handle.force();
        }
        CrashPoints.reached(CrashPoint.MASTER_RECORD_NOT_RENAMED);
        io.rename(temporary, directory.resolve(FILE_NAME));
        io.forceDirectory(directory);
    }

    private static int crc(final ByteBuffer bytes, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().limit(length).position(0));
        return (int)crc.getValue();
    }
}
