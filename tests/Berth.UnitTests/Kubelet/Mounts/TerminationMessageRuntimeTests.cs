using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Berth.UnitTests.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>
/// terminationMessagePath / terminationMessagePolicy on real processes: the container writes the default
/// <c>/dev/termination-log</c> (a per-container file bound there, nothing created in the host's /dev); the message
/// is capped at 4096 bytes (the tail); FallbackToLogsOnError takes the log tail on an error exit only.
/// </summary>
[Trait("Category", "Process")]
public sealed class TerminationMessageRuntimeTests : IDisposable
{
    private const string DefaultPath = "/dev/termination-log";
    private readonly RuntimeHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static ContainerConfig Config(string script, bool fallback = false, string? path = DefaultPath) =>
        RuntimeHarness.Config("/bin/sh", "-c", script) with { TerminationMessagePath = path, TerminationMessageFallbackToLogs = fallback };

    [MountNamespaceFact]
    public async Task Exit_MessageWrittenToDefaultPath_ReportedAndHostDevUntouched()
    {
        var id = await _h.RunAsync(Config($"printf 'bye now' > {DefaultPath}; exit 3"));

        var exited = await _h.WaitExitedAsync(id);

        Assert.Equal((3, "bye now"), (exited.ExitCode, exited.Message));
        Assert.False(File.Exists(DefaultPath));
    }

    [MountNamespaceFact]
    public async Task Exit_LongMessage_LastFourKilobytesKept()
    {
        var id = await _h.RunAsync(Config($"head -c 5000 /dev/zero | tr '\\0' a > {DefaultPath}; printf END >> {DefaultPath}"));

        var exited = await _h.WaitExitedAsync(id);

        Assert.Equal(4096, exited.Message!.Length);
        Assert.EndsWith("aEND", exited.Message, StringComparison.Ordinal);
    }

    [MountNamespaceFact]
    public async Task Exit_FallbackToLogsOnErrorWithoutMessage_LogTail()
    {
        var id = await _h.RunAsync(Config("for i in $(seq 1 100); do echo line$i; done; exit 1", fallback: true));

        var exited = await _h.WaitExitedAsync(id);

        var lines = exited.Message!.TrimEnd('\n').Split('\n');
        Assert.Equal(80, lines.Length);
        Assert.Equal(("line21", "line100"), (lines[0], lines[^1]));
    }

    [MountNamespaceFact]
    public async Task Exit_FallbackToLogsOnSuccess_NoMessage()
    {
        var id = await _h.RunAsync(Config("echo hello", fallback: true));

        Assert.Null((await _h.WaitExitedAsync(id)).Message);
    }

    [Fact]
    public async Task Exit_NoNamespacePathInIdentityMount_FileRead()
    {
        using var h = new RuntimeHarness(mountNamespaces: MountNamespaceMode.Disabled);
        var dir = Directory.CreateDirectory(h.Scratch("shared")).FullName;
        var id = await h.RunAsync(Config($"printf done > {dir}/msg", path: $"{dir}/msg") with { Mounts = [new ContainerMount(dir, dir, false)] });

        Assert.Equal("done", (await h.WaitExitedAsync(id)).Message);
    }

    [Fact]
    public async Task Exit_NoNamespaceFallbackToLogs_LogTailEvenWithoutFile()
    {
        using var h = new RuntimeHarness(mountNamespaces: MountNamespaceMode.Disabled);
        var id = await h.RunAsync(Config("echo oops >&2; exit 2", fallback: true));

        Assert.Equal("oops\n", (await h.WaitExitedAsync(id)).Message);
    }
}
