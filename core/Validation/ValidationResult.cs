namespace Lambda.Core.Validation;

/// <summary>Either valid, or the name of the rule an event broke and what was wrong.</summary>
public readonly record struct ValidationResult(string? Rule, string? Detail)
{
    public static ValidationResult Valid => default;

    public bool IsValid => Rule is null;

    public static ValidationResult Broke(string rule, string detail) => new(rule, detail);

    /// <summary>The dead-letter reason: <c>rule: detail</c>.</summary>
    public override string ToString() => IsValid ? "valid" : $"{Rule}: {Detail}";
}
