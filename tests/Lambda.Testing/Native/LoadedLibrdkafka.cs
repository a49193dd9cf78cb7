using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Lambda.Core.Transport.Kafka;

namespace Lambda.Testing.Native;

/// <summary>
/// Binds the test code's own calls into librdkafka (<c>[LibraryImport("librdkafka")]</c>, e.g. the mock cluster) to
/// the very file Confluent.Kafka loaded, on any machine.
/// </summary>
/// <remarks>
/// librdkafka.redist ships several builds per platform and Confluent.Kafka keeps the first that loads: on Debian 12
/// that is <c>centos8-librdkafka.so</c>, because the default <c>librdkafka.so</c> needs <c>libsasl2.so.3</c>. A plain
/// import would look for the default file alone and fail, or, worse, load a second librdkafka whose mock
/// cluster the clients under test never see. So we let Confluent.Kafka choose, then ask the process which
/// librdkafka file it has mapped, and hand that file's handle to every import of the test assemblies.
/// </remarks>
public static class LoadedLibrdkafka
{
    /// <summary>The library name the imports use.</summary>
    public const string ImportName = "librdkafka";

    private static readonly Lazy<(IntPtr Handle, string Path)> Library = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly HashSet<Assembly> Bound = [];

    /// <summary>The full path of the librdkafka file Confluent.Kafka loaded in this process.</summary>
    public static string Path => Library.Value.Path;

    /// <summary>Resolves <see cref="ImportName"/> in this assembly's imports to the loaded librdkafka (once per assembly).</summary>
    public static void BindImportsOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (Bound)
        {
            if (Bound.Add(assembly))
            {
                NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == ImportName ? Library.Value.Handle : IntPtr.Zero);
            }
        }
    }

    private static (IntPtr Handle, string Path) Load()
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var process = Process.GetCurrentProcess();
        var loaded = process.Modules.Cast<ProcessModule>()
            .Select(module => module.FileName)
            .Where(file => System.IO.Path.GetFileName(file).Contains("librdkafka", StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .ToList();
        return loaded.Count switch
        {
            // Loading a file the process has mapped already returns the same handle: one library, one set of globals.
            1 => (NativeLibrary.Load(loaded[0]), loaded[0]),
            0 => throw new InvalidOperationException("Confluent.Kafka reports librdkafka loaded, but no librdkafka file is among this process's modules."),
            _ => throw new InvalidOperationException($"more than one librdkafka is loaded in this process: {string.Join(", ", loaded)}"),
        };
    }
}
