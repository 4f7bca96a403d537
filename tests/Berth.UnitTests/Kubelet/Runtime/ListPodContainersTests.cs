using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// <see cref="IContainerRuntime.ListPodContainersAsync"/>: the process runtime's own filter and the interface's
/// default (over the full listing) give exactly the pod's containers, in any state.
/// </summary>
[Trait("Category", "Process")]
public sealed class ListPodContainersTests : IDisposable
{
    private const string OtherPod = "0b5c3d7e-2222-4a2b-9c3d-000000000002";

    private readonly RuntimeHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ListPodContainers_ProcessRuntime_OnlyThatPodsContainers()
    {
        var first = await _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true"));
        var second = await _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true") with { ContainerName = "sidecar" });
        var other = await _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true") with { PodUid = OtherPod, PodName = "db" });

        var mine = await _h.Runtime.ListPodContainersAsync(RuntimeHarness.Config().PodUid);
        var theirs = await _h.Runtime.ListPodContainersAsync(OtherPod);

        Assert.Equal(new[] { first, second }.OrderBy(id => id.Value), mine.Select(c => c.Id).OrderBy(id => id.Value));
        Assert.Equal([other], theirs.Select(c => c.Id));
        Assert.Empty(await _h.Runtime.ListPodContainersAsync("no-such-pod"));
    }

    [Fact]
    public async Task ListPodContainers_DefaultImplementation_FiltersTheListing()
    {
        IContainerRuntime runtime = new FakeContainerRuntime(new FakeTimeProvider());
        var mine = await runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true"));
        await runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true") with { PodUid = OtherPod });

        var listed = await runtime.ListPodContainersAsync(RuntimeHarness.Config().PodUid);

        Assert.Equal([mine], listed.Select(c => c.Id));
    }
}
