namespace Lambda.Speed.Benchmarks.Runs;

/// <summary>One measured run: wall time, and the CPU time the engine's process spent in it.</summary>
public sealed record Measurement(long Events, TimeSpan Elapsed, TimeSpan Cpu)
{
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
