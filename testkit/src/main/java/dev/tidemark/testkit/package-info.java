/**
 * The crash-testing kit for embedders: {@link dev.tidemark.testkit.CrashTest} runs a
 * {@link dev.tidemark.testkit.Workload} on a Tidemark database over the simulated file system
 * ({@code dev.tidemark.testkit.fs}), crashes it at a chosen or random moment in a chosen crash mode, reopens it and
 * checks the recovered state against the transactions the workload recorded
 * ({@code dev.tidemark.testkit.history.KvHistory}) and {@code verify()}.
 */
package dev.tidemark.testkit;
