/**
 * Crash-test oracles for key-value workloads: record what a workload did and learned ({@link KvHistory}), then
 * check the state a recovery left against it ({@link KvHistory#check}): durability of acknowledged commits (O1 of
 * the testing guide), no effects of transactions that did not commit (O2), and all-or-nothing for commits whose
 * outcome the crash hid (O3). With {@link dev.tidemark.testkit.fs.SimulatedFileSystem} (crash modes, fault
 * injection) and {@code dev.tidemark.CrashPoints} (named crash points) they make a crash test of any store built on
 * the {@code FileIo} seam.
 */
package dev.tidemark.testkit.history;
