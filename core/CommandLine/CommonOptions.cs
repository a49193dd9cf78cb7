using System.CommandLine;
using System.Globalization;
using System.Net;
using Lambda.Core.Telemetry;

namespace Lambda.Core.CommandLine;

/// <summary>Options every executable understands, defined once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<DirectoryInfo> DataDir()
    {
        var option = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "Root of every file read or written (topics/, master/, views/, checkpoints/, reports/)",
            DefaultValueFactory = _ => new DirectoryInfo("data"),
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo>() is { } directory && UnusableDirectory(directory, probe: !result.Implicit) is { } problem)
            {
                result.AddError($"--data-dir '{directory}' {problem}");
            }
        });
        return option;
    }

    /// <summary>
    /// Why <paramref name="directory"/> cannot be a data directory (a file, below a file, cannot be
    /// created), or null. A missing directory given explicitly is created and removed again: trying is
    /// the one sure test that it can be, and parsing a command line must leave nothing behind.
    /// </summary>
    private static string? UnusableDirectory(DirectoryInfo directory, bool probe)
    {
        if (File.Exists(directory.FullName))
        {
            return "is a file, not a folder";
        }

        for (var parent = directory.Parent; parent is not null; parent = parent.Parent)
        {
            if (File.Exists(parent.FullName))
            {
                return $"cannot be created: {parent.FullName} is a file, not a folder";
            }
        }

        if (probe && !directory.Exists)
        {
            var missing = new List<string>();
            for (var d = directory; d is not null && !d.Exists; d = d.Parent)
            {
                missing.Add(d.FullName);
            }

            try
            {
                Directory.CreateDirectory(directory.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return $"cannot be created: {e.Message}";
            }

            foreach (var created in missing)
            {
                try
                {
                    Directory.Delete(created);
                }
                catch (IOException)
                {
                    // Something else wrote into it meanwhile: it stays, as the command would have made it anyway.
                    break;
                }
            }
        }

        return null;
    }

    /// <summary><c>--kafka HOST:PORT[,HOST:PORT…]</c>; absent means the embedded log.</summary>
    public static Option<string?> Kafka()
    {
        var option = new Option<string?>("--kafka")
        {
            Description = "Kafka bootstrap servers (HOST:PORT,…); without it (and without KAFKA_BOOTSTRAP_SERVERS) the embedded log under --data-dir/topics is used",
            HelpName = "HOST:PORT",
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !IsServerList(value))
            {
                result.AddError($"--kafka '{value}' is not a list of HOST:PORT (e.g. localhost:9092,broker2:9092)");
            }
        });
        return option;
    }

    /// <summary><c>--metrics none|console|prometheus</c>: where the executable's metrics go (<c>Telemetry:Exporter</c>).</summary>
    public static Option<string?> Metrics() => new Option<string?>("--metrics")
    {
        Description = "Export the metrics: console (every Telemetry:ConsoleInterval and at exit) or prometheus (scrape http://localhost:9464/metrics; Telemetry:PrometheusHost/Port); default none",
        HelpName = "none|console|prometheus",
        Recursive = true,
    }.AcceptsOneOf([.. TelemetryOptions.Exporters]);

    /// <summary>A UTC day, <c>yyyy-MM-dd</c>.</summary>
    public static Option<DateOnly?> Day(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "yyyy-MM-dd",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return day;
            }

            result.AddError($"{name} '{text}' is not a day in the form yyyy-MM-dd");
            return null;
        },
    };

    /// <summary>A duration: <c>1d</c>, <c>6h</c>, <c>30m</c>, <c>15s</c>, <c>250ms</c>, or <c>hh:mm:ss</c>.</summary>
    public static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, bool allowZero = false) => new(name)
    {
        Description = description,
        HelpName = "1d|6h|30m|15s",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DurationText.TryParse(text, out var duration) && (duration > TimeSpan.Zero || (allowZero && duration == TimeSpan.Zero)))
            {
                return duration;
            }

            result.AddError($"{name} '{text}' is not a {(allowZero ? "" : "positive ")}duration such as 1d, 6h, 30m, 15s or 00:05:00");
            return defaultValue;
        },
    };

    /// <summary>Marks <paramref name="option"/> required, so that help says so and the parser refuses its absence.</summary>
    public static Option<T> Required<T>(this Option<T> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Required = true;
        return option;
    }

    /// <summary>A comma-separated list option (<c>--symbols BTCUSDT,ETHUSDT</c>), split and trimmed.</summary>
    public static IReadOnlyList<string> SplitList(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsServerList(string value)
    {
        var servers = SplitList(value);
        return servers.Count > 0 && servers.All(server =>
        {
            var colon = server.LastIndexOf(':');
            return colon > 0
                && int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                && port is > 0 and <= IPEndPoint.MaxPort;
        });
    }
}
