using System.Net;
using Lambda.Core.Transport.Kafka;
using Lambda.Core.Transport.Live;
using Microsoft.Extensions.Options;

namespace Lambda.Dashboard.Hosting;

/// <summary>The <c>Dashboard</c> configuration section and the command line's options over it.</summary>
public sealed class DashboardSettings
{
    public const string Section = "Dashboard";

    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Where Kestrel listens (semicolon-separated http:// URLs); loopback by default.</summary>
    public string Urls { get; set; } = DefaultUrl;

    /// <summary>Root of the views (<c>views/serving</c>, <c>views/speed</c>) and of the embedded log.</summary>
    public string DataDirectory { get; set; } = Path.GetFullPath("data");

    /// <summary>How often the views' files are looked at (they are read again only when they changed).</summary>
    public TimeSpan ViewsRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The live source: Redis when configured, else the event log.</summary>
    public RedisOptions Redis { get; set; } = new();

    public KafkaOptions Kafka { get; set; } = new();

    public IReadOnlyList<Uri> ListenUrls => [.. Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))];

    /// <summary>URLs whose host is not a loopback address: reachable from other machines.</summary>
    public IReadOnlyList<Uri> PublicUrls => [.. ListenUrls.Where(u => !IsLoopback(u))];

    public static bool IsUrlList(string value)
    {
        var urls = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return urls.Length > 0 && urls.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/" && uri.Query.Length == 0);
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

/// <summary>Checks the settings at start, naming the one that is wrong.</summary>
public sealed class DashboardSettingsValidator : IValidateOptions<DashboardSettings>
{
    public ValidateOptionsResult Validate(string? name, DashboardSettings options)
    {
        var failures = new List<string>();
        if (!DashboardSettings.IsUrlList(options.Urls))
        {
            failures.Add($"Dashboard:Urls '{options.Urls}' must be http://HOST:PORT URLs separated by ';' (e.g. {DashboardSettings.DefaultUrl})");
        }

        if (options.ViewsRefresh <= TimeSpan.Zero)
        {
            failures.Add("Dashboard:ViewsRefresh must be positive");
        }

        var redis = new RedisOptionsValidator().Validate(name, options.Redis);
        if (redis.Failed)
        {
            failures.AddRange(redis.Failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
