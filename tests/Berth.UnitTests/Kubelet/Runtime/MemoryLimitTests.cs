using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Microsoft.Extensions.Logging.Testing;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// A memory limit is written to the container's cgroup when the cgroup2 hierarchy offers the memory controller;
/// otherwise the container still runs and a warning says the limit is not enforced (event 4203 with a cgroup but
/// no memory controller, 4012 without a cgroup).
/// </summary>
[Trait("Category", "Process")]
public sealed class MemoryLimitTests
{
    private const long Limit = 64 * 1024 * 1024;

    [Theory]
    [InlineData(ContainmentMode.Auto)]
    [InlineData(ContainmentMode.ProcessGroup)]
    public async Task StartContainer_MemoryLimit_EnforcedOrReportedAsNot(ContainmentMode mode)
    {
        var logger = new FakeLogger<ProcessContainerRuntime>();
        using var h = new RuntimeHarness(mode, logger: logger);

        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30") with { MemoryLimitBytes = Limit });

        Assert.Equal(ContainerState.Running, (await h.Runtime.GetContainerStatusAsync(id)).State);
        var events = logger.Collector.GetSnapshot().Select(r => r.Id.Id).ToList();
        if (!h.Runtime.UsesCgroups)
        {
            Assert.Contains(4012, events);
            return;
        }
        var limitFile = Path.Combine(Berth.Bpf.Cgroup2Mount.Find()!, "berth.slice", id.Value, "memory.max");
        if (File.Exists(limitFile))
        {
            Assert.Equal(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(limitFile).Trim());
        }
        else
        {
            Assert.Contains(4203, events);
        }
    }
}
