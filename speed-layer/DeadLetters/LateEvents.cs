using System.Text;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;

namespace Lambda.SpeedLayer.DeadLetters;

/// <summary>
/// A late event (its window already closed by the watermark) as a dead letter. Everything in it comes
/// from the event and the stream's event-time clock, never from the wall clock, so the same input
/// gives byte-identical dead letters: a re-sent one (after a crash before its checkpoint) can be
/// recognised as the same.
/// </summary>
public static class LateEvents
{
    /// <param name="late">The event the engine refused.</param>
    /// <param name="engineReason">The engine's reason: <c>late: open_time … is in window … closed at watermark …</c>.</param>
    /// <param name="raw">The message exactly as read from the log.</param>
    /// <param name="lateness">The allowed lateness, named in the reason.</param>
    /// <param name="streamClock">The largest event time the engine had seen: stands for the receive time.</param>
    public static DeadLetter ToDeadLetter(MarketEvent late, string engineReason, ReadOnlySpan<byte> raw, TimeSpan lateness, DateTimeOffset streamClock)
    {
        ArgumentNullException.ThrowIfNull(late);
        return new DeadLetter
        {
            Exchange = late.Exchange,
            Symbol = late.Symbol,
            EventTime = late.EventTime,
            Source = late.Source,
            Reason = $"{engineReason} (allowed lateness {DurationText.Format(lateness)})",
            Raw = Encoding.UTF8.GetString(raw),
            ReceivedAt = streamClock,
        };
    }
}
