namespace Lambda.Core.Views;

/// <summary>
/// Derived daily figures of one symbol, computed by the batch layer from its complete daily candles
/// (<c>views/batch/daily_metrics.parquet</c>). Windows count calendar days: a metric is null unless
/// every day of its window has a complete candle.
/// </summary>
/// <param name="Return">close / previous day's close − 1; null on the first day and after a missing day.</param>
/// <param name="Ma7">Mean close of the 7 days ending on <see cref="Day"/>.</param>
/// <param name="Ma30">Mean close of the 30 days ending on <see cref="Day"/>.</param>
/// <param name="Volatility30d">Sample standard deviation of the 30 daily log returns ending on <see cref="Day"/>, annualised × √365.</param>
public sealed record DailyMetric(
    string Exchange,
    string Symbol,
    DateOnly Day,
    double Close,
    double? Return,
    double? Ma7,
    double? Ma30,
    double? Volatility30d);
