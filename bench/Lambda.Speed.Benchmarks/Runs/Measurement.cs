namespace Lambda.Speed.Benchmarks.Runs;

/// <summary>One measured run: wall time, and the CPU time the engine's process spent in it.</summary>
public sealed record Measurement(long Events, TimeSpan Elapsed, TimeSpan Cpu)
{
    /// <summary>What the .NET garbage collector did during the run (null for an engine that does not run on it).</summary>
    public GcActivity? Gc { get; init; }

    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    /// <summary>Events per second of CPU time: the per-core rate whatever the pinning.</summary>
    public double EventsPerCpuSecond => Cpu > TimeSpan.Zero ? Events / Cpu.TotalSeconds : double.NaN;
}

/// <summary>The runs of one engine, summarised by medians.</summary>
public sealed class Case(string name, string what)
{
    public string Name { get; } = name;

    public string What { get; } = what;

    public List<Measurement> Runs { get; } = [];

    public Measurement Median => Runs.OrderBy(r => r.Elapsed).ElementAt(Runs.Count / 2);

    public double MedianEventsPerCpuSecond => Runs.Select(r => r.EventsPerCpuSecond).Order().ElementAt(Runs.Count / 2);
}

/// <summary>
/// The garbage collector's work over a run: collections per generation, the time the process was paused for them and
/// the bytes allocated. Allocation drives the count: the gen0 budget is a few MB, so each MB allocated costs collections.
/// </summary>
public sealed record GcActivity(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long AllocatedBytes)
{
    public static GcActivity Now() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false));

    public GcActivity Since(GcActivity start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return new(Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2, Pause - start.Pause, AllocatedBytes - start.AllocatedBytes);
    }
}
