using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Lambda.Core.Configuration;

/// <summary>One-line console logs on standard error, levels from the <c>Logging</c> section.</summary>
public static class LambdaLogging
{
    public static ILoggerFactory Create(IConfiguration configuration) => LoggerFactory.Create(builder => builder
        .AddConfiguration(configuration.GetSection("Logging"))
        .SetMinimumLevel(LogLevel.Information)
        .AddConsole(options =>
        {
            options.FormatterName = LogLineFormatter.Name;
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        })
        .AddConsoleFormatter<LogLineFormatter, ConsoleFormatterOptions>());
}

/// <summary>
/// <c>12:00:01 warn  replay: message</c>: the time, the level and the component, without the namespace and
/// the event id (<c>Lambda.Producer.Replay.ReplayJob[1060685545]</c>), which say nothing to an operator.
/// </summary>
public sealed class LogLineFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "lambda";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var level = logEntry.LogLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        textWriter.Write($"{DateTimeOffset.Now:HH:mm:ss} {level} {Component(logEntry.Category)}: {message}");
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write($" ({exception.GetType().Name}: {exception.Message})");
        }

        textWriter.WriteLine();
    }

    /// <summary><c>Lambda.Producer.Replay.ReplayJob</c> → <c>ReplayJob</c>; <c>Outer+Inner</c> → <c>Inner</c>.</summary>
    public static string Component(string category)
    {
        var start = Math.Max(category.LastIndexOf('.'), category.LastIndexOf('+')) + 1;
        return category[start..];
    }
}
