using System.Globalization;

namespace Lambda.Producer.Replay;

/// <summary>How fast a replay runs: a speed-up over recorded time, or <see cref="Max"/> (no waiting).</summary>
public sealed record ReplaySpeed(double? Factor)
{
    public static ReplaySpeed Max { get; } = new((double?)null);

    public static bool TryParse(string text, out ReplaySpeed speed)
    {
        speed = Max;
        if (text == "max")
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor > 0 && double.IsFinite(factor))
        {
            speed = new ReplaySpeed(factor);
            return true;
        }

        return false;
    }

    public override string ToString() => Factor is { } factor ? factor.ToString(CultureInfo.InvariantCulture) : "max";
}
