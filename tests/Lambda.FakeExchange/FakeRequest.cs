namespace Lambda.FakeExchange;

/// <summary>One REST request the fake exchange answered.</summary>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="PathAndQuery">The path and the query string as sent (still URL-encoded).</param>
/// <param name="StatusCode">The HTTP status returned.</param>
/// <param name="Weight">The request weight charged against the current minute (0 when refused).</param>
public sealed record FakeRequest(DateTimeOffset ReceivedAt, string PathAndQuery, int StatusCode, int Weight);
