package dev.tidemark;

/**
 * How much a transaction sees of concurrent ones (Adya's anomaly classes):
 *
 * <ul>
 *   <li>{@link #READ_COMMITTED}: each read sees the latest committed data; prevents dirty writes and reads (G0,
 *       G1a, G1b, G1c) and observed-transaction vanishes, allows lost updates, read skew and write skew.</li>
 *   <li>{@link #SNAPSHOT}: one snapshot per transaction, first updater wins; also prevents lost updates (P4),
 *       read skew (G-single) and predicate-many-preceders; allows write skew (G2-item, G2).</li>
 *   <li>{@link #SERIALIZABLE}: as {@link #SNAPSHOT}, plus serializable snapshot isolation that aborts one
 *       transaction of every dangerous read-write cycle, phantoms included: every anomaly is prevented.</li>
 * </ul>
 */
public enum IsolationLevel
{
    READ_COMMITTED,
    SNAPSHOT,
    SERIALIZABLE
}
