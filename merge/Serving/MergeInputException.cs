namespace Lambda.Merge.Serving;

/// <summary>What is wrong with the merge's input: it decides the exit code.</summary>
public enum MergeInputProblem
{
    /// <summary>A view the merge needs does not exist.</summary>
    Missing,

    /// <summary>A view exists but cannot be used: damaged, another schema, unsorted, bad metadata.</summary>
    Unreadable,
}

/// <summary>The merge cannot run on its input; the message says which file and why.</summary>
public sealed class MergeInputException : Exception
{
    public MergeInputException()
    {
    }

    public MergeInputException(string message) : base(message)
    {
    }

    public MergeInputException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public MergeInputException(MergeInputProblem problem, string message, Exception? innerException = null) : base(message, innerException) =>
        Problem = problem;

    public MergeInputProblem Problem { get; } = MergeInputProblem.Unreadable;
}
