package dev.tidemark;

/**
 * A component stopped accepting work after an unrecoverable error, typically a failed write or force whose
 * outcome on disk is unknown. The original failure is the cause. Nothing the failed force covered is ever
 * reported durable; close the instance and reopen it to recover from what is on disk.
 */
public class FailStopException extends TidemarkException
{
    private static final long serialVersionUID = 1L;

    public FailStopException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
