using Berth.ApiServer.Streaming;
using Berth.Kubelet.Streaming.Logs;

namespace Berth.UnitTests.Kubelet.Streaming;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerLogReaderTests : IDisposable
{
    private readonly LogFiles _logs = new();
    private volatile bool _running;

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Read_RotatedAndLive_OldestFirst()
    {
        _logs.Append(_logs.Live + ".2", LogFiles.Line(1, "a"));
        _logs.Append(_logs.Live + ".1", LogFiles.Line(2, "b"), LogFiles.Line(3, "c", "stderr"));
        _logs.Append(_logs.Live, LogFiles.Line(4, "d"));

        Assert.Equal("a\nb\nc\nd\n", await ReadAsync(new PodLogOptions("app")));
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "e\n")]
    [InlineData(3, "c\nd\ne\n")]
    [InlineData(4, "b\nc\nd\ne\n")]
    [InlineData(100, "a\nb\nc\nd\ne\n")]
    public async Task Read_TailLines_LastEntriesAcrossRotatedFiles(long tail, string expected)
    {
        _logs.Append(_logs.Live + ".1", LogFiles.Line(1, "a"), LogFiles.Line(2, "b"), LogFiles.Line(3, "c"));
        _logs.Append(_logs.Live, LogFiles.Line(4, "d"), LogFiles.Line(5, "e"));

        Assert.Equal(expected, await ReadAsync(new PodLogOptions("app", TailLines: tail)));
    }

    [Fact]
    public async Task Read_SinceTime_SkipsOlderEntries()
    {
        _logs.Append(_logs.Live, LogFiles.Line(1, "old"), LogFiles.Line(10, "new"), LogFiles.Line(11, "newer"));

        Assert.Equal("new\nnewer\n", await ReadAsync(new PodLogOptions("app", SinceTime: LogFiles.T0.AddSeconds(10))));
    }

    [Fact]
    public async Task Read_Timestamps_OnePrefixPerLogicalLine()
    {
        _logs.Append(_logs.Live, LogFiles.Line(1, "par", tag: 'P'), LogFiles.Line(2, "tial"), LogFiles.Line(3, "next", "stderr"));

        var text = await ReadAsync(new PodLogOptions("app", Timestamps: true));

        Assert.Equal("2026-01-02T03:04:06Z partial\n2026-01-02T03:04:08Z next\n", text);
    }

    [Fact]
    public async Task Read_LimitBytes_CutsOutputMidLine()
    {
        _logs.Append(_logs.Live, LogFiles.Line(1, "hello"), LogFiles.Line(2, "world"));

        Assert.Equal("hello\nwo", await ReadAsync(new PodLogOptions("app", LimitBytes: 8)));
    }

    [Fact]
    public async Task Read_MalformedLines_Skipped()
    {
        _logs.Append(_logs.Live, "junk\n", LogFiles.Line(1, "ok"), "\n");

        Assert.Equal("ok\n", await ReadAsync(new PodLogOptions("app")));
    }

    [Fact]
    public async Task Read_NoFiles_EmptyOutput()
    {
        Assert.Equal("", await ReadAsync(new PodLogOptions("app")));
    }

    [Fact]
    public async Task Follow_NewOutputAcrossRotations_AllDeliveredInOrderThenEndsWhenStopped()
    {
        _running = true;
        _logs.Append(_logs.Live, LogFiles.Line(1, "one"));
        var output = new SyncOutput();
        var follow = Reader(new PodLogOptions("app", Follow: true), output).ReadAsync(CancellationToken.None);
        await AsyncTestHelpers.WaitUntilAsync(() => output.Text == "one\n");

        _logs.Append(_logs.Live, LogFiles.Line(2, "two"));
        _logs.Rotate();
        _logs.Append(_logs.Live, LogFiles.Line(3, "three"));
        _logs.Rotate();
        _logs.Append(_logs.Live, LogFiles.Line(4, "four"));
        await AsyncTestHelpers.WaitUntilAsync(() => output.Text.EndsWith("four\n", StringComparison.Ordinal));
        Assert.False(follow.IsCompleted);
        _logs.Append(_logs.Live, LogFiles.Line(5, "last words"));
        _running = false;

        await follow.DefaultTimeout();
        Assert.Equal("one\ntwo\nthree\nfour\nlast words\n", output.Text);
    }

    [Fact]
    public async Task Follow_TailZero_OnlyNewEntries()
    {
        _running = true;
        _logs.Append(_logs.Live, LogFiles.Line(1, "before"));
        var output = new SyncOutput();
        var follow = Reader(new PodLogOptions("app", Follow: true, TailLines: 0), output).ReadAsync(CancellationToken.None);
        await AsyncTestHelpers.WaitUntilAsync(() => output.Flushes > 0);

        _logs.Append(_logs.Live, LogFiles.Line(2, "after"));
        await AsyncTestHelpers.WaitUntilAsync(() => output.Text == "after\n");
        _running = false;

        await follow.DefaultTimeout();
        Assert.Equal("after\n", output.Text);
    }

    [Fact]
    public async Task Follow_Cancelled_Stops()
    {
        _running = true;
        using var cts = new CancellationTokenSource();
        var follow = Reader(new PodLogOptions("app", Follow: true), new SyncOutput()).ReadAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => follow.DefaultTimeout());
    }

    [Fact]
    public async Task Read_LogFileSymlinkedOutsideDirectory_Refused()
    {
        var secret = Path.Combine(_logs.Root, "secret.txt");
        File.WriteAllText(secret, LogFiles.Line(1, "secret"));
        File.CreateSymbolicLink(_logs.Live, secret);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ReadAsync(new PodLogOptions("app")));
    }

    [Fact]
    public async Task Read_ContainerDirectorySymlinkedElsewhere_Refused()
    {
        var elsewhere = Path.Combine(_logs.Root, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        File.WriteAllText(Path.Combine(elsewhere, "0.log"), LogFiles.Line(1, "secret"));
        Directory.Delete(_logs.ContainerDirectory);
        Directory.CreateSymbolicLink(_logs.ContainerDirectory, elsewhere);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ReadAsync(new PodLogOptions("app")));
    }

    [Fact]
    public async Task Read_FifoInsteadOfLogFile_RefusedWithoutBlocking()
    {
        Assert.Equal(0, Berth.Kubelet.Interop.Libc.mkfifo(_logs.Live, Convert.ToInt32("600", 8)));

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ReadAsync(new PodLogOptions("app")).DefaultTimeout());
    }

    private ContainerLogReader Reader(PodLogOptions options, Stream output)
    {
        var realRoot = LogFileGuard.RealDirectory(_logs.Root)!;
        var source = new LogSource(_logs.Live, 5, Path.Combine(realRoot, "default_web_uid-1", "app"), _ => Task.FromResult(_running));
        return new ContainerLogReader(source, options, output, TimeProvider.System);
    }

    private async Task<string> ReadAsync(PodLogOptions options)
    {
        var output = new SyncOutput();
        await Reader(options, output).ReadAsync(CancellationToken.None).DefaultTimeout();
        return output.Text;
    }
}
