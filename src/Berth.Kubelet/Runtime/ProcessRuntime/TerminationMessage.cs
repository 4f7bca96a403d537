using System.Text;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// The termination message of an exited container: the last 4096 bytes of the file at terminationMessagePath; with
/// FallbackToLogsOnError, an error exit (non-zero, not a start failure) and an empty or missing file, the content of
/// the last 80 log lines, at most its last 2048 bytes. Called once per exit, after the log pump drained. Pure I/O
/// helper, thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go (getTerminationMessage,
/// readLastStringFromContainerLogs) with the limits of pkg/kubelet/container/runtime.go.
/// </remarks>
internal static class TerminationMessage
{
    public const int MaxLength = 4096;
    public const int MaxLogLines = 80;
    public const int MaxLogLength = 2048;

    /// <summary>How far back in the log file the tail looks (80 lines of 16 KiB entries at most, bounded).</summary>
    private const int LogWindow = 256 * 1024;

    /// <param name="file">The host file behind terminationMessagePath, or null when the container has none.</param>
    /// <param name="fallbackToLogs">FallbackToLogsOnError and an error exit.</param>
    public static string Read(string? file, bool fallbackToLogs, string logPath)
    {
        var message = file is null ? "" : ReadTail(file, MaxLength);
        return message.Length == 0 && fallbackToLogs ? ReadLogTail(logPath) : message;
    }

    private static string ReadTail(string path, int max)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = (int)Math.Min(stream.Length, max);
            stream.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            return Encoding.UTF8.GetString(buffer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The content (no timestamps or stream names) of the last 80 CRI log lines, cut to its last 2048 bytes.</summary>
    public static string ReadLogTail(string logPath)
    {
        string text;
        try
        {
            text = ReadTail(logPath, LogWindow);
        }
        catch (ArgumentException)
        {
            return "";
        }
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var content = new StringBuilder();
        foreach (var line in lines.Skip(Math.Max(0, lines.Length - MaxLogLines)))
        {
            // <timestamp> <stream> <P|F> <content>
            var parts = line.Split(' ', 4);
            if (parts.Length < 3)
            {
                continue;
            }
            content.Append(parts.Length == 4 ? parts[3] : "");
            if (parts[2] == "F")
            {
                content.Append('\n');
            }
        }
        var bytes = Encoding.UTF8.GetBytes(content.ToString());
        return bytes.Length <= MaxLogLength ? content.ToString() : Encoding.UTF8.GetString(bytes, bytes.Length - MaxLogLength, MaxLogLength);
    }
}
