using System.Globalization;

namespace Berth.UnitTests.Kubelet.Streaming;

/// <summary>
/// A CRI log directory laid out as the runtime does (<c>&lt;root&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/N.log</c>),
/// with helpers to write entries at chosen times. Deleted on dispose.
/// </summary>
internal sealed class LogFiles : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public LogFiles(string container = "app")
    {
        Root = Path.Combine(Path.GetTempPath(), "berth-logs-" + Guid.NewGuid().ToString("N")[..10]);
        ContainerDirectory = Path.Combine(Root, "default_web_uid-1", container);
        Directory.CreateDirectory(ContainerDirectory);
    }

    public string Root { get; }

    public string ContainerDirectory { get; }

    public string Live => Path.Combine(ContainerDirectory, "0.log");

    /// <summary>One CRI line: <c>T0 + seconds</c>, stream, tag, message (a newline is added).</summary>
    public static string Line(int seconds, string message, string stream = "stdout", char tag = 'F') =>
        T0.AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture)
        + "00Z " + stream + " " + tag + " " + message + "\n";

    public void Append(string path, params string[] lines) => File.AppendAllText(path, string.Concat(lines));

    /// <summary>Renames the live file to .1 (shifting older ones) as the runtime's rotation does.</summary>
    public void Rotate(int maxFiles = 5)
    {
        for (var i = maxFiles - 2; i >= 1; i--)
        {
            if (File.Exists($"{Live}.{i}"))
            {
                File.Move($"{Live}.{i}", $"{Live}.{i + 1}", overwrite: true);
            }
        }
        File.Move(Live, Live + ".1");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
