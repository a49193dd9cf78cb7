using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Lambda.Core.Configuration;

/// <summary>One-line console logs on standard error, levels from the <c>Logging</c> section.</summary>
public static class LambdaLogging
{
    public static ILoggerFactory Create(IConfiguration configuration) => LoggerFactory.Create(builder => builder
        .AddConfiguration(configuration.GetSection("Logging"))
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        })
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
