using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using GcController = Berth.Controllers.GarbageCollector.GarbageCollector;
using Berth.Controllers.ReplicaSet;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.ReplicaSet;

/// <summary>
/// The workload controllers (ReplicaSet, Deployment, garbage collector) over the real registry and an in-memory
/// store. With a <see cref="FakeTimeProvider"/>, waits advance the clock in small steps so that queue backoff fires.
/// The "kubelet" is the test: <see cref="MarkReadyAsync"/> and <see cref="FinishTerminatingAsync"/>.
/// </summary>
internal sealed class WorkloadTestHost(FakeTimeProvider? fakeTime = null) : ControllerHostBase(fakeTime)
{
    public ReplicaSetController? ReplicaSets { get; private set; }

    public GcController? Collector { get; private set; }

    public void Run(bool replicaSets = true, bool deployments = false, bool gc = false)
    {
        if (replicaSets)
        {
            ReplicaSets = Add(new ReplicaSetController(Informers, Api, Events, Time, NullLogger<ReplicaSetController>.Instance));
        }
        if (deployments)
        {
            Add(new DeploymentController(Informers, Api, Events, Time, NullLogger<DeploymentController>.Instance));
        }
        if (gc)
        {
            Collector = Add(new GcController(Informers, Api, Time, NullLogger<GcController>.Instance));
        }
        StartInformers();
    }

    /// <summary>Pods not being deleted.</summary>
    public async Task<IReadOnlyList<JsonObject>> ActivePodsAsync(string? labelSelector = null) =>
        [.. (await ListAsync(KindRegistry.Pods, labelSelector)).Where(p => p.GetString("metadata", "deletionTimestamp") is null)];

    /// <summary>Running and Ready=True since now, for every active pod that is not ready yet.</summary>
    public async Task MarkReadyAsync(string? labelSelector = null)
    {
        foreach (var pod in await ActivePodsAsync(labelSelector))
        {
            if (pod.GetString("status", "phase") != "Running")
            {
                await MarkPodReadyAsync(pod);
            }
        }
    }

    /// <summary>Writes phase Running and Ready=True (transition now) into the pod's status.</summary>
    public async Task MarkPodReadyAsync(JsonObject pod)
    {
        pod = ApiJson.Clone(pod);
        pod.SetPath("Running", "status", "phase");
        pod.SetPath(new JsonArray(new JsonObject
        {
            ["type"] = "Ready", ["status"] = "True",
            ["lastTransitionTime"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }), "status", "conditions");
        try
        {
            await Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
        }
        catch (ApiException e) when (e.Code == 409)
        {
            await MarkPodReadyAsync(await Api.GetAsync(KindRegistry.Pods, Ns, pod.GetName()!));
        }
    }
}
