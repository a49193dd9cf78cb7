using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Lambda.Core.Transport.Kafka;

/// <summary>
/// Loads librdkafka, the native library under Confluent.Kafka, before the first client is built, so that a
/// machine lacking what it needs gets one sentence saying what to install instead of a
/// <see cref="DllNotFoundException"/> from deep inside a client's constructor.
/// </summary>
/// <remarks>
/// librdkafka.redist ships several builds per platform; Confluent.Kafka tries them in order and keeps the
/// first that loads. On linux-x64 the default build links <c>libsasl2.so.3</c> (which Debian 12 lacks), and the
/// self-contained <c>centos8-librdkafka.so</c> beside it is taken instead.
/// </remarks>
public static class KafkaNativeLibrary
{
    private static readonly Lazy<string> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>librdkafka's version, e.g. <c>2.16.0</c>, once it is loaded.</summary>
    /// <exception cref="InvalidOperationException">librdkafka cannot be loaded on this machine; the message says what to install.</exception>
    public static string EnsureLoaded() => Loaded.Value;

    private static string Load()
    {
        try
        {
            Library.Load();
            return Library.VersionString;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(
                $"Kafka's native client librdkafka (package librdkafka.redist) could not be loaded on {RuntimeInformation.RuntimeIdentifier}: {FirstLine(e.Message)} " +
                $"{InstallHint()}", e);
        }
    }

    private static string InstallHint() =>
        OperatingSystem.IsLinux()
            ? "Its Linux builds need glibc 2.28 or later (musl on Alpine); install the package that provides the file named above (Debian/Ubuntu: `apt-file search <file>`, then `apt-get install` it)."
            : OperatingSystem.IsMacOS()
                ? "The package ships builds for macOS on x64 and arm64 only."
                : "The package ships builds for linux-x64/arm64, osx-x64/arm64 and win-x64/x86 only.";

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
