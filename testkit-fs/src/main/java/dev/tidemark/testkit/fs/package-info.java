/**
 * A simulated, crashable file system for tests: {@link dev.tidemark.testkit.fs.SimulatedFileSystem} implements
 * {@link dev.tidemark.io.FileIo} in memory, keeps unsynced data apart from durable data, and on
 * {@link dev.tidemark.testkit.fs.SimulatedFileSystem#crash(dev.tidemark.testkit.fs.CrashMode)} builds the disk a
 * reboot sees by one {@link dev.tidemark.testkit.fs.CrashMode}. {@link dev.tidemark.testkit.fs.FaultInjector}
 * injects I/O errors and crash points by operation index. Everything is instance-scoped and seeded.
 *
 * <p>Call order inside the package: SimulatedFileSystem → Kernel (lock, admission, space) and Namespace (names)
 * → Inode (content: current, durable, pending) → ByteImage / PendingOp; crashes go FrozenState → CrashSimulator.
 */
package dev.tidemark.testkit.fs;
