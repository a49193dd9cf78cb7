using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Contracts;
using Lambda.Producer.Connectors;
using Lambda.Producer.Hosting;

namespace Lambda.Producer.Commands;

/// <summary><c>producer run</c>: live connectors to the exchanges, as a hosted service.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols (default BTCUSDT,ETHUSDT)", HelpName = "BTCUSDT,ETHUSDT" };
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

        var streams = new Option<string>("--streams") { Description = "Comma-separated streams: ticker, trade, kline_<interval> (default ticker,kline_1m,trade)", HelpName = "ticker,kline_1m,trade" };
        streams.Validators.Add(result =>
        {
            foreach (var stream in CommonOptions.SplitList(result.GetValueOrDefault<string>()).Where(s => !StreamNames.IsValid(s)))
            {
                result.AddError($"--streams: '{stream}' is not ticker, trade or kline_<interval> (intervals: {string.Join(", ", KlineIntervals.All)})");
            }
        });

        var exchange = new Option<string>("--exchange") { Description = "Exchange to connect to: binance, bybit or all (default binance)" };
        exchange.AcceptsOneOf([.. Exchanges.All, "all"]);
        var mode = new Option<string>("--mode") { Description = "websocket (streams, default) or rest (polls Binance's /api/v3/ticker/24hr)" };
        mode.AcceptsOneOf("websocket", "rest");
        var record = new Option<FileInfo?>("--record") { Description = "Also write every raw frame with its receive time to this capture file (replayable); a relative path is under --data-dir, e.g. captures/today.txt" };
        var restFallback = new Option<bool>("--rest-fallback") { Description = "Poll Binance's REST tickers while every WebSocket stays down" };

        var command = new Command("run", "Stream live market data from the exchanges into the event log until Ctrl+C.")
        {
            exchange, symbols, streams, mode, record, restFallback,
        };
        ProducerCommand.AddPipelineOptions(command);
        command.SetAction(RunAsync);
        return command;
    }

    private static Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        ProducerCommand.WithSetupAsync(parseResult, setup => ProducerHost.RunAsync(setup, parseResult.InvocationConfiguration.Output, cancellationToken));
}
