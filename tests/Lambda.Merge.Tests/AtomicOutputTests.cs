using Lambda.Core.Views;
using Lambda.Merge.Serving;
using static Lambda.Merge.Tests.Candles;

namespace Lambda.Merge.Tests;

/// <summary>Readers of the serving view never see a half-written file.</summary>
public sealed class AtomicOutputTests : IDisposable
{
    private readonly DataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_reader_polling_the_serving_files_while_merges_run_always_sees_a_whole_view()
    {
        // two inputs whose serving views differ in size: a reader must see one or the other, whole
        var small = Range("BTCUSDT", "2020-01-01", "2021-12-31", "batch").ToList();
        var large = Range("BTCUSDT", "2015-01-01", "2026-07-01", "batch").ToList();
        _data.WriteBatch(small);
        await _data.MergeOkAsync();
        var sizes = new[] { small.Count, large.Count };

        using var stop = new CancellationTokenSource();
        long parquetReads = 0, csvReads = 0;
        // its own thread: the merges keep the (small) thread pool busy
        var reader = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using (var file = ParquetFileReader.Open(_data.ServingParquet))
                {
                    // Sequential decoding: the merges' blocking waits keep the thread pool busy, and a parallel
                    // read would queue behind them (the race being tested is between files, not threads).
                    var rows = file.Read(ServingCandleMap.Instance).Count();
                    sizes.Should().Contain(rows);
                    file.RowCount.Should().Be(rows);
                }

                Interlocked.Increment(ref parquetReads);
                var lines = File.ReadAllLines(_data.ServingCsv);
                sizes.Should().Contain(lines.Length - 1);
                lines[^1].Should().EndWith("batch:build-1", "the last line is whole");
                Interlocked.Increment(ref csvReads);
            }
        }, TaskCreationOptions.LongRunning);

        // At least 12 merges, and on until the reader has raced them many times (however slow the machine is);
        // a reader that failed ends the loop too, and its failure is rethrown below.
        for (var i = 0; (i < 12 || Interlocked.Read(ref csvReads) <= 10) && !reader.IsCompleted && i < 5_000; i++)
        {
            _data.WriteBatch(i % 2 == 0 ? large : small);
            await _data.MergeOkAsync();
        }

        await stop.CancelAsync();
        await reader;
        parquetReads.Should().BeGreaterThan(10, "the reader raced the merges many times");
        csvReads.Should().BeGreaterThan(10);
    }

    [Fact]
    public async Task Temporary_files_of_a_killed_merge_are_removed_by_the_next_one()
    {
        _data.WriteBatch(Range("BTCUSDT", "2026-07-01", "2026-07-01", "batch"));
        var serving = Path.Combine(_data.Root, "views", "serving");
        Directory.CreateDirectory(serving);
        // the name a merge in a process that no longer runs would have left (pids are below 2^22 on Linux)
        var abandoned = Path.Combine(serving, $".{ViewLayout.Serving.ParquetFile}.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(abandoned, "half a file");

        await _data.MergeOkAsync();

        File.Exists(abandoned).Should().BeFalse();
        _data.Serving().Should().HaveCount(1);
    }
}
