using System.Globalization;

namespace Lambda.Core.Spark;

/// <summary>
/// A Spark Connect address in the form Spark's own clients take (<c>SPARK_REMOTE</c>):
/// <c>sc://host[:port][/;param=value;…]</c>, port 15002 by default; params <c>token</c>,
/// <c>user_id</c>, <c>use_ssl</c> and <c>session_id</c>.
/// </summary>
public sealed record SparkRemote(string Host, int Port, bool UseSsl, string? Token, string UserId, string? SessionId)
{
    public const int DefaultPort = 15002;
    public const string EnvironmentVariable = "SPARK_REMOTE";

    public Uri Endpoint => new($"{(UseSsl ? "https" : "http")}://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}");

    public override string ToString() => $"sc://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <paramref name="text"/>; <paramref name="error"/> says in one line what is wrong.</summary>
    public static bool TryParse(string? text, out SparkRemote remote, out string error)
    {
        remote = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith("sc://", StringComparison.Ordinal))
        {
            error = $"'{text}' is not a Spark Connect address: expected sc://HOST[:PORT] (e.g. sc://localhost:15002)";
            return false;
        }

        var rest = text["sc://".Length..];
        var parameters = "";
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            parameters = rest[(slash + 1)..];
            rest = rest[..slash];
            if (parameters.Length > 0 && parameters[0] != ';')
            {
                error = $"'{text}': a path is not allowed; parameters go after '/;' (sc://HOST:PORT/;token=…)";
                return false;
            }
        }

        var host = rest;
        var port = DefaultPort;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0)
        {
            host = rest[..colon];
            if (!int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                error = $"'{text}': the port '{rest[(colon + 1)..]}' is not a number between 1 and 65535";
                return false;
            }
        }

        if (host.Length == 0)
        {
            error = $"'{text}' names no host: expected sc://HOST[:PORT]";
            return false;
        }

        bool useSsl = false;
        string? token = null, sessionId = null;
        var userId = Environment.UserName;
        foreach (var pair in parameters.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = eq < 0 ? (pair, "") : (pair[..eq], Uri.UnescapeDataString(pair[(eq + 1)..]));
            switch (key)
            {
                case "token":
                    token = value;
                    useSsl = true; // Spark's clients send a token only over TLS.
                    break;
                case "use_ssl":
                    useSsl = string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
                    break;
                case "user_id":
                    userId = value;
                    break;
                case "session_id":
                    if (!Guid.TryParse(value, out _))
                    {
                        error = $"'{text}': session_id '{value}' is not a UUID";
                        return false;
                    }

                    sessionId = value;
                    break;
                default:
                    // Spark's clients ignore parameters they do not know (e.g. user_agent), so do we.
                    break;
            }
        }

        remote = new SparkRemote(host, port, useSsl, token, userId, sessionId);
        return true;
    }

    public static SparkRemote Parse(string text) =>
        TryParse(text, out var remote, out var error) ? remote : throw new FormatException(error);
}
