using Lambda.Core.Contracts;
using Lambda.Core.Klines;
using Lambda.Producer.Connectors;
using Lambda.Producer.Hosting;
using Lambda.Producer.Pipeline;
using Microsoft.Extensions.Logging;

namespace Lambda.Producer.Replay;

/// <summary>
/// Feeds recorded input through the same pipeline as live data: captures of raw frames through the
/// exchange's normalizer, klines CSVs as closed kline events in time order.
/// </summary>
public sealed partial class ReplayJob(ReplayOptions options, ProducerRuntime runtime, TimeProvider clock, ILogger<ReplayJob> logger)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private readonly long _fromMs = options.From is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : long.MinValue;
    private readonly IngestPipeline _pipeline = runtime.Pipeline;
    private readonly FrameNormalizers _normalizers = new(clock);
    private long _lastProgress = clock.GetTimestamp();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var file in options.Files)
        {
            var pacer = new ReplayPacer(options.Speed, clock);
            using var reader = file.OpenText();
            var firstLine = reader.ReadLine() ?? "";
            reader.BaseStream.Position = 0;
            reader.DiscardBufferedData();
            if (CaptureFile.LooksLikeCapture(firstLine))
            {
                LogFile(file.FullName, "capture of raw frames");
                await ReplayCaptureAsync(reader, pacer, cancellationToken).ConfigureAwait(false);
            }
            else if (KlinesCsvReader.LooksLikeKlines(firstLine))
            {
                LogFile(file.FullName, "klines CSV");
                await ReplayKlinesAsync(file, reader, pacer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new InvalidDataException($"{file.FullName}: neither a capture ('<unix seconds>: <frame>' lines) nor a klines CSV");
            }
        }
    }

    private async Task ReplayCaptureAsync(StreamReader reader, ReplayPacer pacer, CancellationToken cancellationToken)
    {
        var defaultTag = FrameNormalizers.StreamTagOf(options.Exchange);
        foreach (var captured in CaptureFile.Read(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (captured.Error is not null)
            {
                await _pipeline.RejectAsync(options.Exchange, "", EventSources.Replay, captured.Error, captured.Frame, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (captured.ReceivedAt.ToUnixTimeMilliseconds() < _fromMs)
            {
                continue;
            }

            var tag = captured.Tag ?? defaultTag;
            if (!FrameNormalizers.IsTag(tag))
            {
                await _pipeline.RejectAsync(options.Exchange, "", EventSources.Replay, $"capture line {captured.Line}: unknown tag '{tag}'", captured.Frame, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await pacer.WaitForAsync(captured.ReceivedAt.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
            await _pipeline.AcceptFrameAsync(captured.Frame, _normalizers.ForTag(tag), FrameNormalizers.ExchangeOf(tag), EventSources.Replay, cancellationToken).ConfigureAwait(false);
            ReportProgress();
        }
    }

    private async Task ReplayKlinesAsync(FileInfo file, StreamReader reader, ReplayPacer pacer, CancellationToken cancellationToken)
    {
        var (nameSymbol, nameInterval) = KlinesCsvReader.NameParts(file.Name);
        var (symbol, symbolRefusal) = KlineLabels.Symbol(nameSymbol, options.Symbol);
        if (symbol is null)
        {
            throw new InvalidDataException($"{file.FullName}: {symbolRefusal ?? "the file name does not name the symbol; pass --symbol"}");
        }

        // Time order first. Dumps are sorted, and a sorted file streams: each row is published as it is read, so
        // librdkafka compresses and sends while the next rows parse, and memory stays flat. A hand-made file that is
        // not in order (one cheap pass over its time column tells) is read whole and sorted.
        var inOrder = KlinesCsvReader.IsInTimeOrder(reader);
        reader.BaseStream.Position = 0;
        reader.DiscardBufferedData();
        var rows = KlinesCsvReader.Read(reader, options.Interval ?? nameInterval);
        if (!inOrder)
        {
            var all = rows.ToList();
            all.Sort(static (a, b) => OpenTimeOf(a).CompareTo(OpenTimeOf(b)));
            rows = all;
        }

        // The interval is settled by the first klines before anything is published; only those rows are held.
        using var source = rows.GetEnumerator();
        var head = new List<KlineRow>();
        var headKlines = new List<Kline>(KlineLabels.InferenceRows);
        while (headKlines.Count < KlineLabels.InferenceRows && source.MoveNext())
        {
            head.Add(source.Current);
            if (source.Current.Kline is { } kline)
            {
                headKlines.Add(kline);
            }
        }

        var (interval, intervalRefusal) = KlineLabels.Interval(nameInterval, options.Interval, headKlines);
        if (interval is null && headKlines.Count > 0)
        {
            throw new InvalidDataException($"{file.FullName}: {intervalRefusal}");
        }

        var labels = new KlineFileLabels(file.Name, symbol, interval ?? "");
        foreach (var row in head)
        {
            await ReplayRowAsync(row, labels, pacer, cancellationToken).ConfigureAwait(false);
        }

        while (source.MoveNext())
        {
            await ReplayRowAsync(source.Current, labels, pacer, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ReplayRowAsync(KlineRow row, KlineFileLabels labels, ReplayPacer pacer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (row.Kline is not { } kline)
        {
            await _pipeline.RejectAsync(options.Exchange, labels.Symbol, EventSources.Replay, $"{labels.FileName} line {row.Line}: {row.Error}", row.Raw, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (kline.OpenTime < _fromMs)
        {
            return;
        }

        await pacer.WaitForAsync(kline.CloseTime, cancellationToken).ConfigureAwait(false);
        var marketEvent = new KlineEvent
        {
            Exchange = options.Exchange,
            Symbol = labels.Symbol,
            // A closed kline is final at its close; that is when the exchange would have sent it.
            EventTime = kline.CloseTime,
            Source = EventSources.Replay,
            Interval = labels.Interval,
            OpenTime = kline.OpenTime,
            CloseTime = kline.CloseTime,
            Open = kline.Open,
            High = kline.High,
            Low = kline.Low,
            Close = kline.Close,
            Volume = kline.Volume,
            QuoteVolume = kline.QuoteVolume,
            Trades = kline.Trades,
            IsClosed = true,
        };
        await _pipeline.AcceptEventAsync(marketEvent, row.Raw, cancellationToken).ConfigureAwait(false);
        ReportProgress();
    }

    private static long OpenTimeOf(KlineRow row) => row.Kline?.OpenTime ?? long.MinValue;

    private void ReportProgress()
    {
        runtime.ReportWhenDue();
        if (clock.GetElapsedTime(_lastProgress) < ProgressEvery)
        {
            return;
        }

        _lastProgress = clock.GetTimestamp();
        LogProgress(runtime.Statistics.Events, runtime.Statistics.DeadLetters);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replaying {Path} ({Kind})")]
    private partial void LogFile(string path, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Events} events so far, {DeadLetters} dead letters")]
    private partial void LogProgress(long events, long deadLetters);
}

/// <summary>What every row of one klines file is published under.</summary>
internal sealed record KlineFileLabels(string FileName, string Symbol, string Interval);
