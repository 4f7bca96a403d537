using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// A container that allocates beyond its 20Mi memory limit is killed by the kernel inside its cgroup and reported
/// OOMKilled/137 (memory.max from resources.limits.memory, memory.events oom_kill). Needs the cgroup v2 memory
/// controller in the hierarchy the runtime uses; skipped with the reason otherwise.
/// </summary>
[Trait("Category", "Process")]
public sealed class OomKillTests
{
    [CgroupMemoryFact]
    public async Task Exit_AllocatesBeyondLimit_OomKilled137()
    {
        using var h = new RuntimeHarness();
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}")
            with { MemoryLimitBytes = 20 * 1024 * 1024 });

        var exited = await h.WaitExitedAsync(id);

        Assert.Equal((137, ContainerReasons.OOMKilled), (exited.ExitCode, exited.Reason));
    }
}

/// <summary>Skips unless the cgroup2 hierarchy offers the memory controller (cgroup.controllers of its root).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CgroupMemoryFactAttribute : FactAttribute
{
    public CgroupMemoryFactAttribute()
    {
        var mount = Berth.Bpf.Cgroup2Mount.Find();
        var controllers = mount is null ? null : Path.Combine(mount, "cgroup.controllers");
        if (controllers is null || !File.Exists(controllers))
        {
            Skip = "no cgroup2 hierarchy";
        }
        else if (!File.ReadAllText(controllers).Split(' ', '\n').Contains("memory"))
        {
            Skip = $"the cgroup v2 memory controller is not delegated here ({controllers}: {File.ReadAllText(controllers).Trim()})";
        }
    }
}
