namespace Lambda.Producer.Normalization;

/// <summary>What one raw frame turned out to be.</summary>
public enum FrameKind
{
    /// <summary>Market data of ours: zero or more events were appended.</summary>
    Events,

    /// <summary>Recognised but not ours (depth, bookTicker, subscription acks, pongs, serverShutdown…); never an error.</summary>
    Ignored,

    /// <summary>Broken input: invalid JSON, a missing field, a field that is not a number or of the wrong type.</summary>
    Malformed,
}

/// <summary>
/// The verdict on one frame. <see cref="Reason"/> is null for <see cref="FrameKind.Events"/>; for a malformed
/// frame it is the dead-letter reason (<c>malformed: field 'p' is not a number</c>), for an ignored one a short
/// label that statistics can count by (<c>depthUpdate</c>, <c>bookTicker</c>, <c>pong</c>…).
/// </summary>
public readonly record struct FrameOutcome(FrameKind Kind, string? Reason)
{
    /// <summary>
    /// The problem of a frame that is not UTF-8. Normalizers check this first, in one vectorised pass, because
    /// System.Text.Json only notices broken UTF-8 when it turns a string into .NET text, and then throws.
    /// </summary>
    internal const string NotUtf8 = "frame is not valid UTF-8";

    public static FrameOutcome Events => new(FrameKind.Events, null);

    public bool IsIgnored => Kind == FrameKind.Ignored;

    public bool IsMalformed => Kind == FrameKind.Malformed;

    public static FrameOutcome Ignored(string reason) => new(FrameKind.Ignored, reason);

    /// <summary>A broken frame; the <c>malformed: </c> prefix makes the reason sort apart from validation rules.</summary>
    public static FrameOutcome Malformed(string problem) => new(FrameKind.Malformed, "malformed: " + problem);

    public override string ToString() => Reason is null ? Kind.ToString() : $"{Kind}: {Reason}";
}
