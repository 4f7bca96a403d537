using Berth.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Runtime;

[Trait("Category", "Process")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessContainerRuntimeLogTests
{
    [Fact]
    public async Task Logs_StdoutAndStderr_CriFormatInOrderOfStream()
    {
        using var h = new RuntimeHarness();
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo one; echo two >&2; echo three"));
        var status = await h.WaitExitedAsync(id);

        var lines = CriLogLine.ReadAll(status.LogPath);

        Assert.Equal(["one", "three"], lines.Where(l => l.Stream == "stdout").Select(l => l.Message));
        Assert.Equal(["two"], lines.Where(l => l.Stream == "stderr").Select(l => l.Message));
        Assert.All(lines, l => Assert.Equal('F', l.Tag));
        Assert.All(lines, l => Assert.InRange(l.Time, status.StartedAt!.Value.AddSeconds(-1), status.FinishedAt!.Value.AddSeconds(1)));
    }

    [Fact]
    public async Task Logs_LongLineAndMissingNewline_PartialThenFullEntries()
    {
        using var h = new RuntimeHarness();
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c",
            "i=0; while [ $i -lt 20000 ]; do printf x; i=$((i+1)); done; printf '\\nend'"));
        var status = await h.WaitExitedAsync(id);

        var lines = CriLogLine.ReadAll(status.LogPath);

        Assert.Equal(['P', 'F', 'F'], lines.Select(l => l.Tag));
        Assert.Equal(16 * 1024, lines[0].Message.Length);
        Assert.Equal(20000 - 16 * 1024, lines[1].Message.Length);
        Assert.Equal("end", lines[2].Message);
    }

    [Fact]
    public async Task Logs_File_IsOwnerReadWriteOnly()
    {
        using var h = new RuntimeHarness();
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo hi"));
        var status = await h.WaitExitedAsync(id);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(status.LogPath));
    }

    [Fact]
    public async Task Logs_PastMaxSize_RotatedKeepingMaxFilesAndWholeEntries()
    {
        using var h = new RuntimeHarness(logMaxSize: 4096, logMaxFiles: 3);
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c",
            "i=0; while [ $i -lt 600 ]; do echo \"line $i\"; i=$((i+1)); done"));
        var status = await h.WaitExitedAsync(id);

        var files = new[] { status.LogPath + ".2", status.LogPath + ".1", status.LogPath };
        var entries = files.SelectMany(CriLogLine.ReadAll).ToList();

        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 4096));
        Assert.False(File.Exists(status.LogPath + ".3"));
        Assert.Equal("line 599", entries[^1].Message);
        var numbers = entries.Select(e => int.Parse(e.Message[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
    }
}
