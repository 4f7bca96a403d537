using System.Text;
using Berth.Kubelet.Runtime.ProcessRuntime.Logs;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Runtime;

public sealed class CriLogStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cri-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 22, 48, 10, 123, TimeSpan.Zero).AddTicks(4567));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FormatTimestamp_Utc_NineFractionalDigits()
    {
        Assert.Equal("2026-11-27T22:48:10.123456700Z", CriLogStream.FormatTimestamp(_clock.GetUtcNow()));
    }

    [Fact]
    public void Append_SplitAcrossChunks_OneEntryPerLine()
    {
        var path = Path.Combine(_dir, "0.log");
        using (var file = new RotatingLogFile(path, 1 << 20, 2))
        {
            var stream = new CriLogStream("stderr", file, _clock);
            stream.Append("hel"u8);
            stream.Append("lo\nwor"u8);
            stream.Append("ld\n\n"u8);
        }

        Assert.Equal(
            ["2026-11-27T22:48:10.123456700Z stderr F hello", "2026-11-27T22:48:10.123456700Z stderr F world",
             "2026-11-27T22:48:10.123456700Z stderr F "],
            File.ReadAllLines(path));
    }

    [Fact]
    public void Append_LineLongerThanMax_PartialEntriesThenFull()
    {
        var path = Path.Combine(_dir, "0.log");
        using (var file = new RotatingLogFile(path, 1 << 20, 2))
        {
            var stream = new CriLogStream("stdout", file, _clock);
            stream.Append(Encoding.ASCII.GetBytes(new string('a', CriLogStream.MaxLineSize * 2 + 5) + "\n"));
        }

        var entries = File.ReadAllLines(path).Select(CriLogLine.Parse).ToList();
        Assert.Equal(['P', 'P', 'F'], entries.Select(e => e.Tag));
        Assert.Equal([CriLogStream.MaxLineSize, CriLogStream.MaxLineSize, 5], entries.Select(e => e.Message.Length));
    }

    [Fact]
    public void Complete_UnterminatedRemainder_WrittenAsFullEntry()
    {
        var path = Path.Combine(_dir, "0.log");
        using (var file = new RotatingLogFile(path, 1 << 20, 2))
        {
            var stream = new CriLogStream("stdout", file, _clock);
            stream.Append("no newline"u8);
            _clock.Advance(TimeSpan.FromSeconds(1));
            stream.Complete();
        }

        var entry = CriLogLine.Parse(File.ReadAllLines(path).Single());
        Assert.Equal("no newline", entry.Message);
        Assert.Equal('F', entry.Tag);
        Assert.Equal(_clock.GetUtcNow(), entry.Time);
    }
}
