using System.Diagnostics;
using Lambda.Core.Parquet.Writing;

namespace Lambda.Parquet.Tests;

public class ValueMapTests
{
    [Fact]
    public void Keys_that_differ_only_in_high_bits_get_stable_indices_through_growth_and_clear()
    {
        var map = new ValueMap<long>();
        for (var round = 0; round < 2; round++)
        {
            map.Clear();
            const int n = 50_000;
            for (var k = 0; k < n; k++)
            {
                // doubles such as 100.25 have all-zero low mantissa bits
                map.GetOrAdd(BitConverter.DoubleToInt64Bits(100.0 + k * 0.25), out var added).Should().Be(k);
                added.Should().BeTrue();
            }

            for (var k = n - 1; k >= 0; k--)
            {
                map.GetOrAdd(BitConverter.DoubleToInt64Bits(100.0 + k * 0.25), out var added).Should().Be(k);
                added.Should().BeFalse();
            }

            map.Count.Should().Be(n);
        }
    }

    [Fact]
    public void Keys_that_differ_only_in_high_bits_do_not_collide_into_one_probe_chain()
    {
        // With a hash of the low product bits these keys all shared a slot: quadratic, minutes for 200 000 keys.
        var map = new ValueMap<long>();
        var watch = Stopwatch.StartNew();
        for (var k = 0; k < 200_000; k++)
        {
            map.GetOrAdd((long)k << 44, out _);
        }

        map.Count.Should().Be(200_000);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Int_keys_including_negative_ones_round_trip()
    {
        var map = new ValueMap<int>();
        int[] keys = [0, -1, int.MinValue, int.MaxValue, 1 << 30, -(1 << 30), 7];
        for (var i = 0; i < keys.Length; i++)
        {
            map.GetOrAdd(keys[i], out _).Should().Be(i);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            map.GetOrAdd(keys[i], out var added).Should().Be(i);
            added.Should().BeFalse();
        }
    }
}
