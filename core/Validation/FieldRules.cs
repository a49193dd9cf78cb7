using System.Globalization;

namespace Lambda.Core.Validation;

/// <summary>The field rules events and stored klines share, each with its stable rule name (<c>{field}.positive</c>…).</summary>
internal static class FieldRules
{
    public static ValidationResult FirstBroken(params ReadOnlySpan<ValidationResult> results)
    {
        foreach (var result in results)
        {
            if (!result.IsValid)
            {
                return result;
            }
        }

        return ValidationResult.Valid;
    }

    public static ValidationResult Price(string field, double value) =>
        !double.IsFinite(value) ? ValidationResult.Broke($"{field}.finite", $"{field} is {F(value)}")
        : value <= 0 ? ValidationResult.Broke($"{field}.positive", $"{field} is {F(value)}")
        : ValidationResult.Valid;

    public static ValidationResult Amount(string field, double value) =>
        !double.IsFinite(value) ? ValidationResult.Broke($"{field}.finite", $"{field} is {F(value)}")
        : value < 0 ? ValidationResult.Broke($"{field}.non_negative", $"{field} is {F(value)}")
        : ValidationResult.Valid;

    public static ValidationResult Count(string field, long value) =>
        value < 0 ? ValidationResult.Broke($"{field}.non_negative", $"{field} is {value}") : ValidationResult.Valid;

    public static ValidationResult Finite(string field, double value) =>
        double.IsFinite(value) ? ValidationResult.Valid : ValidationResult.Broke($"{field}.finite", $"{field} is {F(value)}");

    public static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
