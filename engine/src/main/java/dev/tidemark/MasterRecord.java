package dev.tidemark;

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
 *   0 u32 magic "TMMR" | 4 u16 version (1) | 6 u16 0
 *   8 u64 checkpoint LSN (the checkpoint record; 0 before the first)
 *  16 u64 next transaction id
 *  24 u64 last commit timestamp
 *  32 u32 page size | 36 u32 flags: bit 0 = written by a clean close (no change can follow it)
 *  40 u32 CRC32C of bytes 0..39
 * </pre>
 */
final class MasterRecord
{
    static final String FILE_NAME = "MASTER";
    private static final int MAGIC = 0x524D4D54;
    private static final int VERSION = 1;
    private static final int LENGTH = 44;
    private static final int CLOSED_CLEANLY = 1;

    final long checkpointLsn;
    final long nextTxnId;
    final long lastTimestamp;
    final int pageSize;
    final boolean closedCleanly;

    MasterRecord(final long checkpointLsn, final long nextTxnId, final long lastTimestamp, final int pageSize,
        final boolean closedCleanly)
    {
        this.closedCleanly = closedCleanly;
        this.checkpointLsn = checkpointLsn;
        this.nextTxnId = nextTxnId;
        this.lastTimestamp = lastTimestamp;
        this.pageSize = pageSize;
    }

    /** @return the master record of {@code directory}, or null when it has none */
    static MasterRecord read(final FileIo io, final Path directory) throws IOException
    {
        final Path file = directory.resolve(FILE_NAME);
        if (!io.exists(file))
        {
            return null;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        try (FileHandle handle = io.open(file, FileIo.OpenMode.READ))
        {
            if (handle.size() < LENGTH)
            {
                throw new CorruptionException(file, 0, "the master record holds " + handle.size() + " bytes, not "
                    + LENGTH + "; restore the database from a backup");
            }
            handle.readFully(bytes, 0);
        }
        if (bytes.getInt(0) != MAGIC)
        {
            throw new CorruptionException(file, 0, "not a Tidemark master record (bad magic)");
        }
        if (bytes.getShort(4) != VERSION)
        {
            throw new UnsupportedFormatException("master record " + file + " has version " + bytes.getShort(4)
                + "; this build reads version " + VERSION);
        }
        if (bytes.getInt(40) != crc(bytes))
        {
            throw new CorruptionException(file, 40, "the master record fails its checksum");
        }
        return new MasterRecord(bytes.getLong(8), bytes.getLong(16), bytes.getLong(24), bytes.getInt(32),
            (bytes.getInt(36) & CLOSED_CLEANLY) != 0);
    }

    /** Replaces the master record of {@code directory} durably. */
    void write(final FileIo io, final Path directory) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, MAGIC);
        bytes.putShort(4, (short)VERSION);
        bytes.putLong(8, checkpointLsn);
        bytes.putLong(16, nextTxnId);
        bytes.putLong(24, lastTimestamp);
        bytes.putInt(32, pageSize);
        bytes.putInt(36, closedCleanly ? CLOSED_CLEANLY : 0);
        bytes.putInt(40, crc(bytes));
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

    private static int crc(final ByteBuffer bytes)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().position(0).limit(40));
        return (int)crc.getValue();
    }
}
