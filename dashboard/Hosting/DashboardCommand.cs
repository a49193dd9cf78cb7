using System.CommandLine;
using Lambda.Core.CommandLine;
using Lambda.Core.Transport;
using Lambda.Core.Transport.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Lambda.Dashboard.Hosting;

/// <summary><c>dashboard</c>: the live web page, until Ctrl+C.</summary>
public static class DashboardCommand
{
    public static RootCommand Build()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Where to listen: http://HOST:PORT, several separated by ';' (default {DashboardSettings.DefaultUrl}: this machine only)",
            HelpName = "URL",
        };
        urls.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !DashboardSettings.IsUrlList(value))
            {
                result.AddError($"--urls '{value}' must be http://HOST:PORT URLs separated by ';' (e.g. {DashboardSettings.DefaultUrl})");
            }
        });
        var redis = RedisCommandLine.Endpoint("Live events from the producer's Redis fan-out; without it the event log (embedded, or Kafka with --kafka) is tailed");
        var prefix = RedisCommandLine.ChannelPrefix();
        var refresh = CommonOptions.Duration("--views-refresh", "How often to look for new serving and speed views", TimeSpan.FromSeconds(5));

        var root = new RootCommand("Lambda dashboard: a live web page of prices, alerts and daily candles (serving view + today's live candle), read-only.")
        {
            urls, redis, prefix, refresh,
        };
        root.Options.Add(CommonOptions.DataDir());
        root.Options.Add(CommonOptions.Kafka());
        root.Options.Add(CommonOptions.Metrics());
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var setup = CommandLineSetup.From(parseResult);
            var settings = setup.Configuration.GetSection(DashboardSettings.Section).Get<DashboardSettings>() ?? new DashboardSettings();
            settings.Urls = parseResult.GetValue(urls) ?? settings.Urls;
            settings.DataDirectory = setup.DataDirectory;
            if (parseResult.GetResult(refresh) is { Implicit: false })
            {
                settings.ViewsRefresh = parseResult.GetValue(refresh);
            }

            settings.Redis = RedisOptions.From(setup.Configuration, parseResult.GetValue(redis), parseResult.GetValue(prefix));
            settings.Kafka = setup.Kafka;
            var validation = new DashboardSettingsValidator().Validate(null, settings);
            if (validation.Failed)
            {
                foreach (var failure in validation.Failures)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync(failure).ConfigureAwait(false);
                }

                return 1;
            }

            // The web server's own meters too: requests and their durations, connections.
            using var telemetry = setup.StartTelemetry("dashboard", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            return await RunAsync(settings, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken).ConfigureAwait(false);
        });
        return root;
    }

    private static async Task<int> RunAsync(DashboardSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var app = await DashboardServer.BuildAsync(settings, cancellationToken).ConfigureAwait(false);
        foreach (var url in settings.PublicUrls)
        {
            await error.WriteLineAsync($"warning: {url} is not a loopback address: anyone who can reach this machine can see the dashboard (it is read-only)").ConfigureAwait(false);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"dashboard: cannot listen on {settings.Urls}: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var source = settings.Redis.IsConfigured ? $"Redis at {settings.Redis.Endpoint}" : EventLog.Describe(settings.Kafka, settings.DataDirectory);
        await output.WriteLineAsync($"Dashboard on {string.Join(", ", settings.ListenUrls)} (live events from {source}; views from {settings.DataDirectory}); Ctrl+C stops.").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
