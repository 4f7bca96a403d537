using System.Globalization;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

/// <summary>
/// The tools a private mount namespace needs, found once when the runtime starts. Mount namespaces need
/// CAP_SYS_ADMIN (bit 21 of <c>CapEff</c> in <c>/proc/self/status</c>), util-linux <c>unshare</c>, <c>nsenter</c> and
/// <c>mount</c>, coreutils <c>chroot</c>, and the overlay file system (to create mount points below existing host
/// directories without writing to them). Immutable; thread-safe.
/// </summary>
internal sealed record MountNamespaceSupport(string Unshare, string Nsenter, string Chroot)
{
    private const int CapSysAdmin = 21;

    /// <summary>The tools, or null with <paramref name="reason"/> saying what is missing.</summary>
    public static MountNamespaceSupport? Detect(MountNamespaceMode mode, out string reason)
    {
        if (mode == MountNamespaceMode.Disabled)
        {
            reason = "disabled by configuration";
            return null;
        }
        if (!HasCapability(CapSysAdmin))
        {
            reason = "the agent lacks CAP_SYS_ADMIN";
            return null;
        }
        var unshare = Find("unshare");
        var nsenter = Find("nsenter");
        var chroot = Find("chroot");
        if (unshare is null || nsenter is null || chroot is null || Find("mount") is null)
        {
            reason = "unshare, nsenter, mount or chroot is missing";
            return null;
        }
        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay\n", StringComparison.Ordinal))
        {
            reason = "the kernel has no overlay file system";
            return null;
        }
        reason = "private mount namespace per container";
        return new MountNamespaceSupport(unshare, nsenter, chroot);
    }

    /// <summary>True when bit <paramref name="capability"/> is set in this process's effective capabilities.</summary>
    public static bool HasCapability(int capability)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null
                && ulong.TryParse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var caps)
                && (caps & (1UL << capability)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? Find(string tool) =>
        new[] { "/usr/bin", "/usr/sbin", "/bin", "/sbin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}
