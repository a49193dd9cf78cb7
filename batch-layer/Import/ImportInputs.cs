using Microsoft.Extensions.FileSystemGlobbing;

namespace Lambda.BatchLayer.Import;

/// <summary>The files an import reads, from the PATH arguments, and the arguments that named nothing.</summary>
public sealed record ImportInputs(IReadOnlyList<string> Files, IReadOnlyList<string> Missing)
{
    /// <summary>What a folder or a glob picks up: CSV files and zip archives (of CSV files).</summary>
    public static readonly IReadOnlyList<string> Extensions = [".csv", ".zip"];

    /// <summary>
    /// Expands files (taken as they are), folders (their CSV and zip files, recursively) and globs
    /// (<c>data/**/BTCUSDT-1h-*.zip</c>; quoted, so the shell leaves them to us), each file once, in order.
    /// </summary>
    public static ImportInputs Expand(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var path in paths)
        {
            var found = Resolve(path);
            if (found.Count == 0)
            {
                missing.Add(path);
            }

            files.AddRange(found.Where(seen.Add));
        }

        return new ImportInputs(files, missing);
    }

    private static List<string> Resolve(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (Directory.Exists(path))
        {
            return [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(IsImportable).Select(Path.GetFullPath).Order(StringComparer.Ordinal)];
        }

        if (path.IndexOfAny(['*', '?', '[']) < 0)
        {
            return [];
        }

        // The glob's fixed leading folders are the base; the rest is the pattern.
        var parts = path.Replace('\\', '/').Split('/');
        var fixedCount = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?', '[']) >= 0);
        var baseDirectory = fixedCount == 0 ? "." : string.Join('/', parts[..fixedCount]);
        if (baseDirectory.Length == 0)
        {
            baseDirectory = "/";
        }

        if (!Directory.Exists(baseDirectory))
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(string.Join('/', parts[fixedCount..]));
        return [.. matcher.GetResultsInFullPath(baseDirectory).Where(File.Exists).Select(Path.GetFullPath).Order(StringComparer.Ordinal)];
    }

    private static bool IsImportable(string file) =>
        Extensions.Contains(Path.GetExtension(file).ToLowerInvariant()) && !Path.GetFileName(file).StartsWith('.');
}
