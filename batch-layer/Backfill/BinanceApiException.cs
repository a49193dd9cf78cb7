namespace Lambda.BatchLayer.Backfill;

/// <summary>
/// Binance answered a request with an error that waiting will not fix (an unknown symbol, a bad
/// parameter: HTTP 4xx with <c>{"code":…,"msg":…}</c>), or with data we cannot read.
/// </summary>
public sealed class BinanceApiException : Exception
{
    public BinanceApiException()
    {
    }

    public BinanceApiException(string message)
        : base(message)
    {
    }

    public BinanceApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, when the server answered.</summary>
    public int? Status { get; init; }

    /// <summary>Binance's error code (e.g. -1121 invalid symbol), when the body carried one.</summary>
    public int? Code { get; init; }
}
