namespace Lambda.Core.Transport;

/// <summary>
/// The event log's transport failed: the broker refused an operation or could not be reached, or a message could not
/// be fetched. Transports throw it in place of their client library's exceptions, so the layers name one type in
/// their error handling and need not know which transport they run on.
/// </summary>
public sealed class EventLogException : Exception
{
    public EventLogException()
    {
    }

    public EventLogException(string message)
        : base(message)
    {
    }

    public EventLogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
