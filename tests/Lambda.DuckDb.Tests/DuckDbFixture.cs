using Lambda.Testing;

namespace Lambda.DuckDb.Tests;

/// <summary>One DuckDB process for all the tests of a class (they run one after another).</summary>
public sealed class DuckDbFixture : IAsyncLifetime
{
    private Testing.DuckDb? _db;

    public Testing.DuckDb Db => _db ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _db = await Testing.DuckDb.StartAsync();

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}

/// <summary>A folder of its own under the system's temporary folder, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lambda-duckdb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system to clean.
        }
    }
}
