using System.Globalization;

namespace Lambda.Parquet.Tests;

/// <summary>Compares values read back with what was written: bit-exact doubles (so -0.0 is not 0.0), any NaN equal to any NaN.</summary>
public static class ViewValues
{
    public static void ShouldBeSame(IReadOnlyList<IReadOnlyList<object?>> actual, IReadOnlyList<object?[]> expected, string because)
    {
        actual.Should().HaveCount(expected.Count, because);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < expected[r].Length; c++)
            {
                var (a, e) = (actual[r][c], expected[r][c]);
                var same = (a, e) switch
                {
                    // The DuckDB oracle's values cross JavaScript, which has a single NaN.
                    (double x, double y) => (double.IsNaN(x) && double.IsNaN(y)) || BitConverter.DoubleToInt64Bits(x) == BitConverter.DoubleToInt64Bits(y),
                    (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks == y.UtcTicks,
                    _ => Equals(a, e),
                };
                same.Should().BeTrue($"row {r}, column {c}: expected {Show(e)}, got {Show(a)} ({because})");
            }
        }
    }

    private static string Show(object? value) => value is null ? "null" : $"{value.GetType().Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}";
}
