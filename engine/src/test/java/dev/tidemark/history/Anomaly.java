package dev.tidemark.history;

/** One anomaly found in a history, with a description precise enough to find it again. */
public final class Anomaly
{
    private final AnomalyType type;
    private final String description;

    public Anomaly(final AnomalyType type, final String description)
    {
        this.type = type;
        this.description = description;
    }

    public AnomalyType type()
    {
        return type;
    }

    public String description()
    {
        return description;
    }

    @Override
    public String toString()
    {
        return type + ": " + description;
    }
}
