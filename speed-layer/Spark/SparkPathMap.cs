namespace Lambda.SpeedLayer.Spark;

/// <summary>
/// Where our paths are for Spark: Spark runs elsewhere (a container, a cluster) and sees the data
/// folder under another path. <c>LOCAL=REMOTE</c> maps every path below LOCAL (ours) to the same
/// path below REMOTE (Spark's), e.g. <c>./data=/opt/lambda/data</c> or <c>./data=s3a://bucket/lambda</c>.
/// </summary>
public sealed record SparkPathMap(string Local, string Remote)
{
    public static SparkPathMap Identity { get; } = new("", "");

    public static bool TryParse(string? text, out SparkPathMap map, out string error)
    {
        map = Identity;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1)
        {
            error = $"--spark-path-map '{text}' is not LOCAL=REMOTE (e.g. ./data=/opt/lambda/data)";
            return false;
        }

        var remote = text[(eq + 1)..].TrimEnd('/');
        if (!remote.StartsWith('/') && !remote.Contains("://", StringComparison.Ordinal))
        {
            error = $"--spark-path-map: '{text[(eq + 1)..]}' is not an absolute path or URI as Spark sees it (/opt/lambda/data, s3a://bucket/…)";
            return false;
        }

        map = new SparkPathMap(Path.TrimEndingDirectorySeparator(Path.GetFullPath(text[..eq])), remote);
        return true;
    }

    /// <summary>The path Spark uses for our <paramref name="localPath"/>.</summary>
    public string ToSpark(string localPath)
    {
        var full = Path.GetFullPath(localPath);
        if (Local.Length == 0)
        {
            return full;
        }

        if (string.Equals(full, Local, StringComparison.Ordinal))
        {
            return Remote;
        }

        return full.StartsWith(Local + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? Remote + "/" + full[(Local.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/')
            : full;
    }

    public override string ToString() => Local.Length == 0 ? "(same paths)" : $"{Local} → {Remote}";
}
