using System.Globalization;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>One parsed CRI log entry (test-side parser, strict about the format).</summary>
internal sealed record CriLogLine(DateTimeOffset Time, string Stream, char Tag, string Message)
{
    public static CriLogLine Parse(string line)
    {
        var parts = line.Split(' ', 4);
        Assert.Equal(4, parts.Length);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$", parts[0]);
        Assert.Contains(parts[1], new[] { "stdout", "stderr" });
        Assert.True(parts[2] is "F" or "P", $"tag {parts[2]}");
        var time = DateTimeOffset.Parse(parts[0][..^3] + "Z", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new CriLogLine(time, parts[1], parts[2][0], parts[3]);
    }

    public static IReadOnlyList<CriLogLine> ReadAll(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Select(Parse).ToList() : [];
}
