using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;

namespace Lambda.Producer.Commands;

/// <summary><c>producer run</c>: live connectors to the exchanges.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var symbols = new Option<string>("--symbols")
        {
            Description = "Comma-separated symbols, e.g. BTCUSDT,ETHUSDT",
            DefaultValueFactory = _ => "BTCUSDT,ETHUSDT",
        };
        symbols.Validators.Add(result =>
        {
            var list = CommonOptions.SplitList(result.GetValueOrDefault<string>());
            if (list.Count == 0)
            {
                result.AddError("--symbols needs at least one symbol");
            }

            foreach (var bad in list.Where(s => !SymbolFormat.IsValid(s)))
            {
                result.AddError($"--symbols: '{bad}' must be upper-case letters and digits, e.g. BTCUSDT");
            }
        });

        var streams = new Option<string>("--streams")
        {
            Description = "Comma-separated streams: ticker, trade, kline_<interval> (e.g. kline_1m)",
            DefaultValueFactory = _ => "ticker,kline_1m,trade",
        };
        streams.Validators.Add(result =>
        {
            foreach (var stream in CommonOptions.SplitList(result.GetValueOrDefault<string>()))
            {
                var valid = stream is "ticker" or "trade"
                    || (stream.StartsWith("kline_", StringComparison.Ordinal) && KlineIntervals.TryGetLength(stream["kline_".Length..], out _));
                if (!valid)
                {
                    result.AddError($"--streams: '{stream}' is not ticker, trade or kline_<interval> (intervals: {string.Join(", ", KlineIntervals.All)})");
                }
            }
        });

        var mode = new Option<string>("--mode") { Description = "websocket (streams) or rest (polls /api/v3/ticker/24hr)", DefaultValueFactory = _ => "websocket" };
        mode.AcceptOnlyFromAmong("websocket", "rest");
        var record = new Option<FileInfo?>("--record") { Description = "Also write every raw frame with its receive time to this capture file" };

        var command = new Command("run", "Stream live market data from the exchanges into the event log.")
        {
            ProducerCommand.Exchange(allowAll: true), symbols, streams, mode, record,
        };
        command.SetPlanned("streaming from the live exchange connectors (use `producer replay` meanwhile)", issue: 3);
        return command;
    }
}
