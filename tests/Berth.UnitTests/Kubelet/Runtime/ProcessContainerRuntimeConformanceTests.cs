using Berth.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Runtime;

[Trait("Category", "Process")]
public sealed class ProcessContainerRuntimeConformanceTests : ContainerRuntimeConformanceTests, IDisposable
{
    private readonly RuntimeHarness _h = new();

    protected override IContainerRuntime Runtime => _h.Runtime;

    public void Dispose() => _h.Dispose();

    protected override Task<ContainerId> StartExitingAsync(int exitCode) =>
        _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", $"sleep 0.05; exit {exitCode}"));

    protected override async Task<ContainerId> StartLongRunningAsync(string kind)
    {
        var ready = _h.Scratch($"{kind}-{Guid.NewGuid():N}.txt");
        var id = await _h.RunAsync(kind switch
        {
            "trap" => RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("sigterm-trap.sh"), ready),
            "ignore" => RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("ignore-term.sh"), ready),
            _ => RuntimeHarness.Config("/bin/sh", "-c", $"echo ready > {ready}; while :; do sleep 1; done"),
        });
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(ready), because: "the script is ready");
        return id;
    }

    protected override Task<ContainerId> CreateUnstartableAsync() =>
        _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("/no/such/binary"));
}
