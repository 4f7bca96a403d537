using System.Globalization;

namespace Berth.IntegrationTests.Termination;

/// <summary>One line of a recorder file: <c>&lt;unix-ms&gt; &lt;EVENT&gt; [detail]</c>.</summary>
internal sealed record RecordedEvent(DateTimeOffset At, string Name, string? Detail);

/// <summary>Reads the file a SignalRecorder appends to (missing file = no events yet). Thread-safe; re-reads each call.</summary>
internal sealed class RecordFile(string path)
{
    public string Path { get; } = path;

    public IReadOnlyList<RecordedEvent> Events()
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        var events = new List<RecordedEvent>();
        foreach (var line in File.ReadAllLines(Path))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length >= 2 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                events.Add(new RecordedEvent(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1], parts.Length == 3 ? parts[2] : null));
            }
        }
        return events;
    }

    public RecordedEvent? First(string name) => Events().FirstOrDefault(e => e.Name == name);

    public async Task<RecordedEvent> WaitForAsync(string name, TimeSpan? timeout = null)
    {
        RecordedEvent? found = null;
        await AsyncTestHelpers.WaitUntilAsync(() => (found = First(name)) is not null, timeout, because: $"{name} in {Path}");
        return found!;
    }
}
