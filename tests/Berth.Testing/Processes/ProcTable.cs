using System.Globalization;
using System.Text;

namespace Berth.Testing.Processes;

/// <summary>
/// One pass over <c>/proc</c>: every live (not zombie) process with its argv and the value of its
/// <c>BERTH_CONTAINER_ID</c> environment entry, if any. Processes that exit during the pass, or that cannot be read,
/// are skipped. Linux only; stateless and thread-safe.
/// </summary>
internal static class ProcTable
{
    public const string MarkerVariable = "BERTH_CONTAINER_ID";

    private static readonly byte[] MarkerPrefix = Encoding.ASCII.GetBytes(MarkerVariable + "=");

    internal sealed record Entry(int Pid, IReadOnlyList<string> Argv, string? ContainerId);

    public static IEnumerable<Entry> Snapshot()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (TryRead(dir, pid) is { } entry)
            {
                yield return entry;
            }
        }
    }

    private static Entry? TryRead(string dir, int pid)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(dir, "stat"));
            var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
            if (state.IsEmpty || state[0] is 'Z' or 'X')
            {
                return null;
            }
            var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.None);
            var count = argv.Length > 0 && argv[^1].Length == 0 ? argv.Length - 1 : argv.Length;
            return new Entry(pid, argv[..count], MarkerOf(File.ReadAllBytes(Path.Combine(dir, "environ"))));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? MarkerOf(byte[] environ)
    {
        foreach (var range in environ.AsSpan().Split((byte)0))
        {
            var entry = environ.AsSpan(range);
            if (entry.StartsWith(MarkerPrefix))
            {
                return Encoding.ASCII.GetString(entry[MarkerPrefix.Length..]);
            }
        }
        return null;
    }
}
