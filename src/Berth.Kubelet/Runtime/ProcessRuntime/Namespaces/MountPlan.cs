using System.Text;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

/// <summary>
/// The bind mounts of one container in the order <see cref="MountScript"/> applies them: parents before children
/// (ordered by depth, as containerd sorts mounts), then the termination-message file. Pure; built at start.
/// </summary>
internal sealed class MountPlan
{
    private readonly List<ContainerMount> _mounts;

    private MountPlan(List<ContainerMount> mounts, bool needsRoot, bool mayShadow)
    {
        _mounts = mounts;
        NeedsRoot = needsRoot;
        MayShadow = mayShadow;
    }

    /// <summary>
    /// True when a mount point must be created directly below <c>/</c> (e.g. <c>/data</c> on a host without it): the
    /// container then gets a tmpfs root that mirrors the host's top-level entries (one bind each).
    /// </summary>
    public bool NeedsRoot { get; }

    /// <summary>
    /// True when a mount point is missing on the host, so the shim may shadow a host directory with an overlay (its
    /// tmpfs goes on the container's <c>shadow</c> directory). False when every mount point exists: the shim then only
    /// binds over existing paths. Conservative: a missing point inside a volume is created there without a shadow.
    /// </summary>
    public bool MayShadow { get; }

    public IReadOnlyList<ContainerMount> Mounts => _mounts;

    /// <summary>
    /// The container's mounts plus, when <paramref name="terminationLogFile"/> is given, that file at the container's
    /// terminationMessagePath (read-write).
    /// </summary>
    public static MountPlan For(ContainerConfig config, string? terminationLogFile)
    {
        var mounts = config.Mounts
            .Select(m => m with { ContainerPath = Normalize(m.ContainerPath) })
            .OrderBy(m => m.ContainerPath.Count(c => c == '/'))
            .ToList();
        if (terminationLogFile is not null && !string.IsNullOrEmpty(config.TerminationMessagePath))
        {
            mounts.Add(new ContainerMount(Normalize(config.TerminationMessagePath), terminationLogFile, ReadOnly: false));
        }
        var missing = mounts.Where(m => !Path.Exists(m.ContainerPath)).ToList();
        return new MountPlan(mounts, missing.Any(m => NearestExistingAncestor(m.ContainerPath) == "/"), missing.Count > 0);
    }

    /// <summary>The mounts file: one <c>ro|rw TAB hostPath TAB containerPath</c> line per mount.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var m in _mounts)
        {
            text.Append(m.ReadOnly ? "ro" : "rw").Append('\t').Append(m.HostPath).Append('\t').Append(m.ContainerPath).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Where <paramref name="containerPath"/> lives on the host: through the deepest mount that covers it, else the
    /// same path. Used to check the working directory and executable before the namespace exists.
    /// </summary>
    public string ToHostPath(string containerPath) => TryMapToHost(containerPath) ?? Normalize(containerPath);

    /// <summary>Where <paramref name="containerPath"/> lives on the host through the deepest mount covering it; null when none does.</summary>
    public string? TryMapToHost(string containerPath)
    {
        var path = Normalize(containerPath);
        foreach (var m in _mounts.OrderByDescending(m => m.ContainerPath.Length))
        {
            if (path == m.ContainerPath)
            {
                return m.HostPath;
            }
            var prefix = m.ContainerPath == "/" ? "/" : m.ContainerPath + "/";
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Path.Combine(m.HostPath, path[prefix.Length..]);
            }
        }
        return null;
    }

    /// <summary>A PATH value whose directories are mapped with <see cref="ToHostPath"/>.</summary>
    public string ToHostSearchPath(string searchPath) =>
        string.Join(':', searchPath.Split(':').Select(d => d.Length > 0 && d[0] == '/' ? ToHostPath(d) : d));

    internal static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static string NearestExistingAncestor(string path)
    {
        var current = path;
        while (current != "/" && !Path.Exists(current))
        {
            current = Path.GetDirectoryName(current) ?? "/";
        }
        return current;
    }
}
