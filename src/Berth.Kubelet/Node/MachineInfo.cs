using System.Reflection;
using System.Runtime.InteropServices;

namespace Berth.Kubelet.Node;

/// <summary>
/// Facts about the machine the node reports: capacity and <c>status.nodeInfo</c>. Read once with
/// <see cref="Read"/>; tests construct it directly. Immutable.
/// </summary>
/// <remarks>Mirrors what kubernetes/kubernetes pkg/kubelet/nodestatus/setters.go (MachineInfo, VersionInfo) takes from cAdvisor.</remarks>
public sealed record MachineInfo(
    int Cores,
    long MemoryCapacityBytes,
    long? EphemeralStorageCapacityBytes,
    string MachineId,
    string SystemUuid,
    string BootId,
    string KernelVersion,
    string OsImage,
    string Architecture)
{
    /// <summary>The huge page pools (<see cref="HugePages"/>); 2Mi and 1Gi with none reserved unless read.</summary>
    public IReadOnlyList<HugePagePool> HugePagePools { get; init; } = HugePages.Default;

    /// <summary>The kubelet version every Berth node reports (matches the API server's /version).</summary>
    public const string KubeletVersion = "v1.32.0-berth";

    /// <summary><c>berth-process://&lt;Berth version&gt;</c>, as containerd reports <c>containerd://1.7.x</c>.</summary>
    public static string ContainerRuntimeVersion { get; } = "berth-process://" + BerthVersion();

    /// <summary>Reads /proc, /etc and the file system of <paramref name="rootDirectory"/>; missing files give empty strings.</summary>
    public static MachineInfo Read(string? rootDirectory) => new(
        CpuList.OnlineCount(),
        MemTotalBytes(),
        rootDirectory is null ? null : FileSystemCapacity(rootDirectory),
        FirstLine("/etc/machine-id", "/var/lib/dbus/machine-id"),
        FirstLine("/sys/class/dmi/id/product_uuid"),
        FirstLine("/proc/sys/kernel/random/boot_id"),
        FirstLine("/proc/sys/kernel/osrelease"),
        OsPrettyName(),
        GoArchitecture())
    {
        HugePagePools = HugePages.Read(),
    };

    /// <summary>Go's GOARCH spelling of the OS architecture (amd64, arm64…).</summary>
    public static string GoArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>MemTotal of /proc/meminfo in bytes (it is given in KiB); the GC's view of memory when unreadable.</summary>
    public static long MemTotalBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                    && long.TryParse(line["MemTotal:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var kib))
                {
                    return kib * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Not Linux or /proc not mounted: fall back below.
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    private static long? FileSystemCapacity(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var total = new DriveInfo(directory).TotalSize;
            return total > 0 ? total : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string OsPrettyName()
    {
        foreach (var path in (string[])["/etc/os-release", "/usr/lib/os-release"])
        {
            try
            {
                var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line["PRETTY_NAME=".Length..].Trim().Trim('"', '\'');
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Try the next location.
            }
        }
        return RuntimeInformation.OSDescription;
    }

    private static string FirstLine(params string[] paths)
    {
        foreach (var path in paths)
        {
            try
            {
                var line = File.ReadLines(path).FirstOrDefault()?.Trim();
                if (!string.IsNullOrEmpty(line))
                {
                    return line;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable (product_uuid is root-only): try the next path.
            }
        }
        return "";
    }

    private static string BerthVersion()
    {
        var informational = typeof(MachineInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? informational[..plus] : informational;
    }
}
