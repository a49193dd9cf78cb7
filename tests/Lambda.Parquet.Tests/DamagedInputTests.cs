using Lambda.Core.Views;
using Lambda.Merge.Show;

namespace Lambda.Parquet.Tests;

/// <summary>
/// A damaged Parquet file, whatever Parquet.Net finds wrong with it, reaches the caller as our
/// <see cref="Lambda.Core.Views.ParquetException"/> naming the file and the problem, never as another exception.
/// </summary>
public sealed class DamagedInputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lambda-damaged-").FullName;
    private readonly byte[] _good;

    public DamagedInputTests()
    {
        var path = Path.Combine(_folder, "good.parquet");
        using (var writer = ParquetFileWriter.Create(path, DailyCandleMap.Instance.Schema, new ParquetWriterOptions { RowGroupRows = 4 }))
        {
            foreach (var candle in LegacyFixtureRows.Candles)
            {
                writer.Write(candle, DailyCandleMap.Instance);
            }
        }

        _good = File.ReadAllBytes(path);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Damaged(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Opens and reads every row; returns the problem, or null when the damage went unnoticed.</summary>
    private static Lambda.Core.Views.ParquetException? ReadAll(string path)
    {
        try
        {
            using var reader = ParquetFileReader.Open(path);
            _ = reader.Read(DailyCandleMap.Instance).Count();
            return null;
        }
        catch (Lambda.Core.Views.ParquetException e)
        {
            return e;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(11)]
    public void A_file_shorter_than_magic_and_footer_is_reported_as_too_short(int length)
    {
        var path = Damaged("short.parquet", _good[..length]);

        ReadAll(path).Should().NotBeNull().And.Subject.As<Exception>().Message.Should().Be($"{path}: {length} bytes is too short for a Parquet file (magic, footer length and magic need 12)");
    }

    [Fact]
    public void A_file_truncated_at_any_length_is_reported_with_its_name()
    {
        for (var length = 12; length < _good.Length; length += 7)
        {
            var path = Damaged($"truncated-{length}.parquet", _good[..length]);

            var problem = ReadAll(path);

            problem.Should().NotBeNull($"a file cut at {length} of {_good.Length} bytes has no footer");
            problem!.Message.Should().StartWith($"{path}: ");
            problem.FileName.Should().Be(path);
        }
    }

    [Fact]
    public void Bad_magic_and_a_footer_length_beyond_the_file_are_reported()
    {
        var start = (byte[])_good.Clone();
        start[0] = (byte)'X';
        var end = (byte[])_good.Clone();
        end[^1] = (byte)'X';
        var footer = (byte[])_good.Clone();
        BitConverter.TryWriteBytes(footer.AsSpan(footer.Length - 8), _good.Length * 2).Should().BeTrue();

        foreach (var (name, bytes) in new[] { ("start.parquet", start), ("end.parquet", end), ("footer.parquet", footer) })
        {
            var path = Damaged(name, bytes);
            ReadAll(path).Should().NotBeNull(name).And.Subject.As<Exception>().Message.Should().StartWith($"{path}: not a readable Parquet file (");
        }
    }

    [Fact]
    public void Damage_anywhere_in_the_file_is_either_reported_or_harmless_but_never_another_exception()
    {
        var random = new Random(14);
        var reported = 0;
        for (var trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])_good.Clone();
            // A few bytes overwritten at one place: page headers, compressed pages, dictionaries, statistics or the footer.
            var at = random.Next(4, bytes.Length - 8);
            for (var i = 0; i < 1 + random.Next(4) && at + i < bytes.Length - 8; i++)
            {
                bytes[at + i] = (byte)random.Next(256);
            }

            var path = Damaged("random.parquet", bytes);
            var problem = ReadAll(path);
            if (problem is not null)
            {
                problem.Message.Should().StartWith($"{path}: ");
                reported++;
            }
        }

        reported.Should().BeGreaterThan(0, "most damage is visible");
    }

    [Fact]
    public async Task Merge_show_reports_a_damaged_file_with_its_name()
    {
        var path = Damaged("cut.parquet", _good[..(_good.Length / 2)]);

        var show = () => ForeignParquetFile.ReadAsync(path, 10, CancellationToken.None);

        (await show.Should().ThrowAsync<Lambda.Core.Views.ParquetException>()).WithMessage($"{path}: not a readable Parquet file (*");
    }
}
