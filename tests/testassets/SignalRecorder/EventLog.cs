using System.Globalization;

namespace SignalRecorder;

/// <summary>Appends <c>&lt;unix-ms&gt; &lt;EVENT&gt; [detail]</c> lines, flushed one by one; thread-safe.</summary>
internal sealed class EventLog(string path, TimeProvider time)
{
    private readonly Lock gate = new();

    public void Write(string evt, string? detail = null)
    {
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var line = detail is null ? $"{ms} {evt}\n" : $"{ms} {evt} {detail}\n";
        lock (gate)
        {
            File.AppendAllText(path, line);
        }
    }
}
