using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;

namespace Berth.UnitTests.Kubelet.Runtime;

public sealed class ManualContainerRuntimeConformanceTests : ContainerRuntimeConformanceTests
{
    private readonly ManualContainerRuntime _fake = new()
    {
        StartFailure = c => c.ContainerName == "missing" ? "exec: \"x\": executable file not found in $PATH" : null,
        OnStopSignal = (c, signal) => c.ContainerName switch { "trap" => 0, "ignore" => null, _ => 128 + signal },
    };

    protected override IContainerRuntime Runtime => _fake;

    protected override async Task<ContainerId> StartExitingAsync(int exitCode)
    {
        var id = await StartAsync("exiting");
        _fake.ExitContainer(id, exitCode);
        return id;
    }

    protected override Task<ContainerId> StartLongRunningAsync(string kind) => StartAsync(kind);

    protected override Task<ContainerId> CreateUnstartableAsync() =>
        _fake.CreateContainerAsync(RuntimeHarness.Config("x") with { ContainerName = "missing" });

    [Fact]
    public async Task Calls_RecordedInOrder()
    {
        var id = await StartAsync("plain");
        await _fake.StopContainerAsync(id, TimeSpan.FromSeconds(30), 15);
        await _fake.RemoveContainerAsync(id, deleteLogs: false);

        Assert.Equal(["Create plain", "Start plain", "Stop plain 30 15", "Remove plain"], _fake.Calls);
    }

    private async Task<ContainerId> StartAsync(string name)
    {
        var id = await _fake.CreateContainerAsync(RuntimeHarness.Config("x") with { ContainerName = name });
        await _fake.StartContainerAsync(id);
        return id;
    }
}
