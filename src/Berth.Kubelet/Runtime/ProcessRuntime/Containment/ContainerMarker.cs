using System.Globalization;
using System.Text;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Containment;

/// <summary>
/// The environment marker every container process carries (<c>BERTH_CONTAINER_ID=&lt;id&gt;</c>). The shim gets it
/// in its envp and every descendant inherits it, including daemons that double-fork and call setsid, so scanning
/// <c>/proc/*/environ</c> finds a container's processes without a cgroup. Only a process that replaces its whole
/// environment (<c>env -i</c>, execve with a fresh envp) escapes it: the reason the cgroup is preferred.
/// </summary>
internal static class ContainerMarker
{
    public const string Variable = "BERTH_CONTAINER_ID";

    public static string Entry(ContainerId id) => Variable + "=" + id.Value;

    /// <summary>
    /// PIDs whose initial environment carries the marker of <paramref name="id"/>. Zombies have an empty environ and
    /// are not listed. Processes we may not read (another user, without root) are skipped.
    /// </summary>
    public static IReadOnlyList<int> FindProcesses(ContainerId id)
    {
        var needle = Encoding.ASCII.GetBytes("\0" + Entry(id) + "\0");
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (HasMarker(Path.Combine(dir, "environ"), needle))
            {
                found.Add(pid);
            }
        }
        return found;
    }

    private static bool HasMarker(string environPath, byte[] needle)
    {
        try
        {
            var environ = File.ReadAllBytes(environPath);
            var span = environ.AsSpan();
            // Entries are NUL-separated: match at the start, or right after a NUL.
            return span.StartsWith(needle.AsSpan(1)) || span.IndexOf(needle) >= 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
