namespace Lambda.Core.Progress;

/// <summary>
/// How far a long piece of work has come: steps (files, partitions) out of a known total, and rows.
/// The work updates it from its own thread; a <see cref="ProgressDisplay"/> polls it, so the work
/// never waits for the screen.
/// </summary>
public sealed class WorkProgress(string stepName, long totalSteps)
{
    private long _steps;
    private long _totalSteps = totalSteps;
    private long _rows;
    private string _current = "";

    public string StepName { get; } = stepName;

    /// <summary>The steps to take; 0 while not known.</summary>
    public long TotalSteps => Interlocked.Read(ref _totalSteps);

    public long Steps => Interlocked.Read(ref _steps);

    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>What is being worked on now (a file, a symbol).</summary>
    public string Current => Volatile.Read(ref _current);

    public void Working(string current) => Volatile.Write(ref _current, current);

    public void StepDone() => Interlocked.Increment(ref _steps);

    /// <summary>For work that learns its size as it starts, or counts its steps itself.</summary>
    public void Set(long steps, long totalSteps)
    {
        Interlocked.Exchange(ref _totalSteps, totalSteps);
        Interlocked.Exchange(ref _steps, steps);
    }

    public void AddRows(long rows) => Interlocked.Add(ref _rows, rows);
}
