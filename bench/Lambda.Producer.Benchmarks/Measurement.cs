using System.Diagnostics;

namespace Lambda.Producer.Benchmarks;

/// <summary>One measured run: wall time, bytes allocated, and garbage collections by generation.</summary>
/// <remarks><see cref="Flush"/> is the part of <see cref="Elapsed"/> spent in a final flush, where there is one.</remarks>
public readonly record struct Run(TimeSpan Elapsed, long Allocated, int Gen0 = 0, int Gen1 = 0, int Gen2 = 0)
{
    public TimeSpan Flush { get; init; }
}

/// <summary>The runs of one case (an input through one path), summarised by medians.</summary>
/// <param name="Input">What went in.</param>
/// <param name="Path">Through what.</param>
/// <param name="Frames">Frames per run (0 when the case takes messages, not frames).</param>
/// <param name="Events">Events (messages) per run.</param>
/// <param name="AllocationScope">Whose allocations are counted: the measuring thread, or the whole process.</param>
public sealed record Case(string Input, string Path, long Frames, long Events, string AllocationScope)
{
    public List<Run> Runs { get; } = [];

    /// <summary>Notes printed below the table (back-pressure waits and the like).</summary>
    public List<string> Notes { get; } = [];

    public TimeSpan MedianElapsed => Median(Runs.Select(r => r.Elapsed.Ticks)) is var t ? TimeSpan.FromTicks((long)t) : default;

    public double EventsPerSecond => Events / MedianElapsed.TotalSeconds;

    public double FramesPerSecond => Frames / MedianElapsed.TotalSeconds;

    public double SlowestEventsPerSecond => Events / Runs.Max(r => r.Elapsed).TotalSeconds;

    public double FastestEventsPerSecond => Events / Runs.Min(r => r.Elapsed).TotalSeconds;

    public double AllocatedPerEvent => Median(Runs.Select(r => r.Allocated)) / Events;

    /// <summary>Collections of the median run (gen0/gen1/gen2; a gen1 collection is also counted as gen0).</summary>
    public string Collections => Runs.Count == 0 ? "-" : Runs.OrderBy(r => r.Elapsed).ElementAt(Runs.Count / 2) is var r && r.Allocated == 0 ? "-" : $"{r.Gen0}/{r.Gen1}/{r.Gen2}";

    public TimeSpan MedianFlush => TimeSpan.FromTicks((long)Median(Runs.Select(r => r.Flush.Ticks)));

    public double AllocatedPerFrame => Median(Runs.Select(r => r.Allocated)) / Frames;

    public static double Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}

/// <summary>Measures a piece of code: wall time, and allocations of this thread or of the whole process.</summary>
public sealed class Meter
{
    private readonly bool _wholeProcess;
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private readonly long _allocatedAtStart;
    private readonly int[] _collectionsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly long _started;

    private Meter(bool wholeProcess)
    {
        _wholeProcess = wholeProcess;
        _allocatedAtStart = Allocated();
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts measuring after a full collection, so that no earlier garbage is collected on our time.</summary>
    public static Meter Start(bool wholeProcess)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new Meter(wholeProcess);
    }

    /// <summary>Time since the start, without stopping.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public Run Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (!_wholeProcess && Environment.CurrentManagedThreadId != _thread)
        {
            throw new InvalidOperationException("the measured code moved to another thread; its allocations were not all counted");
        }

        return new Run(elapsed, Allocated() - _allocatedAtStart,
            GC.CollectionCount(0) - _collectionsAtStart[0], GC.CollectionCount(1) - _collectionsAtStart[1], GC.CollectionCount(2) - _collectionsAtStart[2]);
    }

    private long Allocated() => _wholeProcess ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
}
