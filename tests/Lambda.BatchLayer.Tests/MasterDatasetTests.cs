using Lambda.BatchLayer.Master;
using Lambda.Core.Klines;

namespace Lambda.BatchLayer.Tests;

public sealed class MasterDatasetTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Klines_are_stored_one_file_per_month_in_hive_folders_and_read_back_in_open_time_order()
    {
        var klines = RealData.Klines(RealData.Daily);
        using var master = new MasterDataset(_data.Path);

        // Shuffled input: the files must still hold the rows in open_time order.
        var shuffled = klines.OrderBy(k => HashCode.Combine(k.OpenTime, 17)).ToList();
        var result = await master.AddAsync("binance", "BTCUSDT", "1d", shuffled, MasterOrigins.Import, CancellationToken.None);

        result.Should().Be(new MasterWriteResult(klines.Count, 0, 0));
        var partitions = master.Partitions();
        partitions.Should().HaveCount(klines.Select(k => MasterDataset.MonthOf(k.OpenTime)).Distinct().Count());
        partitions[0].Should().Be(new MasterPartition("binance", "BTCUSDT", "1d", "2021-01",
            Path.Combine(_data.Path, "master", "klines", "exchange=binance", "symbol=BTCUSDT", "interval=1d", "month=2021-01", "klines.parquet")));
        var stored = partitions.SelectMany(master.Read).ToList();
        stored.Select(s => s.Kline).Should().Equal(klines);
        stored.Should().OnlyContain(s => s.Origin == MasterOrigins.Import);
        partitions.SelectMany(master.ReadKlines).Should().Equal(klines);
    }

    [Fact]
    public async Task Adding_the_same_klines_again_changes_no_file()
    {
        var klines = RealData.Klines(RealData.FourHour).Take(1000).ToList();
        using var master = new MasterDataset(_data.Path);
        await master.AddAsync("binance", "BTCUSDT", "4h", klines, MasterOrigins.Import, CancellationToken.None);
        var before = master.Partitions().ToDictionary(p => p.Path, p => File.ReadAllBytes(p.Path));

        var again = await master.AddAsync("binance", "BTCUSDT", "4h", klines, MasterOrigins.Archive, CancellationToken.None);

        again.Should().Be(new MasterWriteResult(0, klines.Count, 0));
        master.Partitions().ToDictionary(p => p.Path, p => File.ReadAllBytes(p.Path)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task A_different_value_for_a_stored_open_time_is_conflicting_and_the_first_write_wins()
    {
        var klines = RealData.Klines(RealData.Daily).Take(40).ToList();
        using var master = new MasterDataset(_data.Path);
        await master.AddAsync("binance", "BTCUSDT", "1d", klines, MasterOrigins.Import, CancellationToken.None);

        var changed = klines[5] with { Close = klines[5].Close + 1, High = klines[5].High + 1 };
        var fresh = new Kline(klines[^1].OpenTime + 86_400_000, klines[^1].CloseTime + 86_400_000, 1, 2, 1, 2, 3, 4, 5);
        var result = await master.AddAsync("binance", "BTCUSDT", "1d", [changed, klines[6], fresh], MasterOrigins.Backfill, CancellationToken.None);

        result.Should().Be(new MasterWriteResult(1, 1, 1));
        var stored = master.Partitions().SelectMany(master.Read).ToList();
        stored.Select(s => s.Kline).Should().Equal([.. klines, fresh]);
        stored[^1].Origin.Should().Be(MasterOrigins.Backfill);
        stored[5].Origin.Should().Be(MasterOrigins.Import);
    }

    [Fact]
    public async Task Two_values_for_one_open_time_in_one_call_keep_the_first()
    {
        var first = RealData.Klines(RealData.Daily)[0];
        using var master = new MasterDataset(_data.Path);

        var result = await master.AddAsync("binance", "BTCUSDT", "1d", [first, first with { Volume = 1 }, first], MasterOrigins.Import, CancellationToken.None);

        result.Should().Be(new MasterWriteResult(1, 1, 1));
        master.Partitions().SelectMany(master.ReadKlines).Should().Equal([first]);
    }

    [Fact]
    public async Task A_second_writer_on_the_same_data_directory_fails_with_a_clear_error_until_the_first_is_disposed()
    {
        var klines = RealData.Klines(RealData.Daily).Take(3).ToList();
        var first = new MasterDataset(_data.Path);
        await first.AddAsync("binance", "BTCUSDT", "1d", klines, MasterOrigins.Import, CancellationToken.None);

        using var second = new MasterDataset(_data.Path);
        var blocked = () => second.AddAsync("binance", "ETHUSDT", "1d", klines, MasterOrigins.Import, CancellationToken.None);
        (await blocked.Should().ThrowAsync<MasterDatasetLockedException>()).WithMessage("*being written by another*lock*");

        first.Dispose();
        (await second.AddAsync("binance", "ETHUSDT", "1d", klines, MasterOrigins.Import, CancellationToken.None)).Added.Should().Be(3);
    }

    [Fact]
    public async Task A_kline_that_breaks_the_rules_is_refused_and_nothing_of_the_call_is_written()
    {
        var klines = RealData.Klines(RealData.Daily).Take(3).ToList();
        using var master = new MasterDataset(_data.Path);

        var misaligned = klines[2] with { OpenTime = klines[2].OpenTime + 3_600_000, CloseTime = klines[2].CloseTime + 3_600_000 };
        var add = () => master.AddAsync("binance", "BTCUSDT", "1d", [klines[0], klines[1], misaligned], MasterOrigins.Import, CancellationToken.None);

        (await add.Should().ThrowAsync<ArgumentException>()).WithMessage("*not the start of a 1d interval*");
        master.Partitions().Should().BeEmpty();
    }

    [Theory]
    [InlineData("binance", "BTC/USDT", "1d", "*symbol*")]
    [InlineData("../x", "BTCUSDT", "1d", "*exchange*")]
    [InlineData("binance", "BTCUSDT", "7m", "*interval*")]
    public async Task Names_that_could_escape_the_partition_folders_are_refused(string exchange, string symbol, string interval, string message)
    {
        using var master = new MasterDataset(_data.Path);
        var add = () => master.AddAsync(exchange, symbol, interval, [], MasterOrigins.Import, CancellationToken.None);
        (await add.Should().ThrowAsync<ArgumentException>()).WithMessage(message);
    }

    [Fact]
    public async Task Exchange_and_symbol_are_stored_in_their_canonical_case()
    {
        using var master = new MasterDataset(_data.Path);
        await master.AddAsync("Binance", "btcusdt", "1d", RealData.Klines(RealData.Daily).Take(1).ToList(), MasterOrigins.Import, CancellationToken.None);
        master.Partitions().Single().Should().Match<MasterPartition>(p => p.Exchange == "binance" && p.Symbol == "BTCUSDT");
    }
}
