using System.Reflection;
using System.Runtime.InteropServices;
using k8s.Models;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// The body of <c>/version</c>. <c>minor</c> must stay "32": the kubectl dispatcher picks the bundled kubectl whose
/// minor matches it, and 1.32 is the client Berth is verified against (kubectl-wire §0.1).
/// </summary>
/// <remarks>Mirrors k8s.io/apimachinery/pkg/version/types.go (Info).</remarks>
public static class ServerVersion
{
    public const string Major = "1";
    public const string Minor = "32";
    public const string GitVersion = "v1.32.0-berth";

    /// <summary>Built once per process from the executing assembly's metadata. Thread-safe.</summary>
    public static VersionInfo Current { get; } = Create(typeof(ServerVersion).Assembly);

    internal static VersionInfo Create(Assembly assembly) => new()
    {
        Major = Major,
        Minor = Minor,
        GitVersion = GitVersion,
        GitCommit = SourceRevision(assembly),
        GitTreeState = "clean",
        BuildDate = BuildDate(assembly),
        GoVersion = RuntimeInformation.FrameworkDescription,
        Compiler = "roslyn",
        Platform = Platform(),
    };

    /// <summary><c>linux/amd64</c>-style platform string, as Go spells architectures.</summary>
    public static string Platform()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : "unknown";
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}/{arch}";
    }

    /// <summary>The commit the SDK stamped after '+' in the informational version, or "unknown".</summary>
    private static string SourceRevision(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = informational?.IndexOf('+') ?? -1;
        return plus >= 0 ? informational![(plus + 1)..] : "unknown";
    }

    private static string BuildDate(Assembly assembly)
    {
        var location = assembly.Location;
        var written = string.IsNullOrEmpty(location) ? DateTime.UnixEpoch : File.GetLastWriteTimeUtc(location);
        return written.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
