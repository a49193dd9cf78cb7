namespace Lambda.Merge.Run;

/// <summary>The exit codes of <c>merge</c>, for scripts.</summary>
public static class MergeExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad options, an I/O error while writing, or interrupted (Ctrl+C): the serving view was not replaced.</summary>
    public const int Failed = 1;

    /// <summary>The batch view does not exist.</summary>
    public const int InputMissing = 2;

    /// <summary>A view cannot be used: damaged, not daily candles, unsorted, bad metadata.</summary>
    public const int InputUnreadable = 4;
}
