/**
 * The file I/O seam: {@link dev.tidemark.io.FileIo}, {@link dev.tidemark.io.FileHandle} and
 * {@link dev.tidemark.io.MappedRegion}. Every file access in Tidemark goes through these types so that tests can
 * substitute a fault-injecting file system.
 */
package dev.tidemark.io;
