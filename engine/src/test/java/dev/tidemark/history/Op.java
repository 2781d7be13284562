package dev.tidemark.history;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One operation of a list-append history. Every key holds a list of events; an append adds a positive element, a
 * delete adds a negative one and removes the key's value, so the final event list of a key is its version order.
 *
 * <ul>
 *   <li>{@code READ key}: {@link #observed()} is the list read, null when the key was absent;</li>
 *   <li>{@code APPEND key element} / {@code DELETE key element}: {@link #observed()} is the event list the writer
 *       read (with a locking read) before it added {@code element};</li>
 *   <li>{@code SCAN [from, to)}: {@link #scanned()} maps each key found to its list (null bounds are open).</li>
 * </ul>
 *
 * <p>Filled in by the thread that runs the operation and read by the checker after that thread ended.
 */
public final class Op
{
    /** What an operation does. */
    public enum Kind
    {
        READ,
        APPEND,
        DELETE,
        SCAN
    }

    private final Kind kind;
    private final String key;
    private final long element;
    private final String from;
    private final String to;
    private long invokeNanos;
    private long completeNanos = Long.MAX_VALUE;
    private boolean completed;
    private List<Long> observed;
    private SortedMap<String, List<Long>> scanned;

    private Op(final Kind kind, final String key, final long element, final String from, final String to)
    {
        this.kind = kind;
        this.key = key;
        this.element = element;
        this.from = from;
        this.to = to;
    }

    public static Op read(final String key)
    {
        return new Op(Kind.READ, key, 0, null, null);
    }

    public static Op append(final String key, final long element)
    {
        if (element <= 0)
        {
            throw new IllegalArgumentException("an appended element is positive, was " + element);
        }
        return new Op(Kind.APPEND, key, element, null, null);
    }

    public static Op delete(final String key, final long element)
    {
        if (element >= 0)
        {
            throw new IllegalArgumentException("a delete's element is negative, was " + element);
        }
        return new Op(Kind.DELETE, key, element, null, null);
    }

    public static Op scan(final String from, final String to)
    {
        return new Op(Kind.SCAN, null, 0, from, to);
    }

    /** Marks the start of the operation. @return this */
    public Op invoked(final long nanos)
    {
        invokeNanos = nanos;
        return this;
    }

    /** Completes a read, or an append or delete with the list its locking read returned. @return this */
    public Op completed(final List<Long> list, final long nanos)
    {
        observed = list == null ? null : List.copyOf(list);
        return complete(nanos);
    }

    /** Completes a scan with what it found. @return this */
    public Op completedScan(final Map<String, List<Long>> found, final long nanos)
    {
        final SortedMap<String, List<Long>> copy = new TreeMap<>();
        found.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        scanned = copy;
        return complete(nanos);
    }

    private Op complete(final long nanos)
    {
        completeNanos = nanos;
        completed = true;
        return this;
    }

    public Kind kind()
    {
        return kind;
    }

    public String key()
    {
        return key;
    }

    public long element()
    {
        return element;
    }

    public String from()
    {
        return from;
    }

    public String to()
    {
        return to;
    }

    public long invokeNanos()
    {
        return invokeNanos;
    }

    public long completeNanos()
    {
        return completeNanos;
    }

    public boolean isCompleted()
    {
        return completed;
    }

    public List<Long> observed()
    {
        return observed;
    }

    public SortedMap<String, List<Long>> scanned()
    {
        return scanned;
    }

    /** @return whether this operation writes (an append or a delete) */
    public boolean writes()
    {
        return kind == Kind.APPEND || kind == Kind.DELETE;
    }

    /** @return whether {@code k} lies in this scan's range */
    public boolean covers(final String k)
    {
        return (from == null || k.compareTo(from) >= 0) && (to == null || k.compareTo(to) < 0);
    }

    @Override
    public String toString()
    {
        final String result = completed ? "" : " (not completed)";
        switch (kind)
        {
            case READ:
                return "r(" + key + ")=" + brief(observed) + result;
            case APPEND:
                return "append(" + key + "," + element + ")" + result;
            case DELETE:
                return "delete(" + key + "," + element + ")" + result;
            default:
                final StringBuilder found = new StringBuilder();
                if (scanned != null)
                {
                    scanned.forEach((k, v) -> found.append(found.length() == 0 ? "" : ", ").append(k).append('=')
                        .append(brief(v)));
                }
                return "scan[" + (from == null ? "" : from) + "," + (to == null ? "" : to) + ")="
                    + (scanned == null ? "?" : "{" + found + "}") + result;
        }
    }

    /** @return a list as its length and last elements, so that long lists stay readable */
    static String brief(final List<Long> list)
    {
        if (list == null || list.size() <= 3)
        {
            return String.valueOf(list);
        }
        return "[(" + list.size() + ") …" + list.subList(list.size() - 2, list.size()).toString().substring(1);
    }
}
