using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Core.ServiceAccounts;
using k8s.Models;

namespace Berth.Server.Hosting;

/// <summary>
/// One pass over the pod-creation path that creates nothing (issue 3, the first burst after start): a dry-run create of
/// a one-container pod through the in-process API (ServiceAccount admission, defaulting, validation, the pod strategy),
/// the typed model of the admitted pod and of a Running status as the scheduler and kubelet decode and encode them, a
/// dry-run create of the Event a kubelet records, and one ServiceAccount token signed and dropped. What it leaves
/// behind is what the first real pod would have left: compiled code, loaded types, the serializer's metadata and the
/// token handler's first-use state. Nothing is stored, watched or sent.
/// </summary>
/// <remarks>Each step is independent and best effort: a failing step (e.g. the default namespace being deleted) is skipped.</remarks>
internal sealed class PodPathWarmup(IApiClient api, ServiceAccountTokenIssuer tokens, TimeProvider time)
{
    /// <summary>The namespace the dry-run objects name; it exists from the bootstrap on.</summary>
    internal const string Namespace = "default";

    private const string PodName = "berth-warmup";

    /// <summary>Runs every step; returns the names of those that failed (with the exception's type), empty when all passed.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        var now = time.GetUtcNow();
        var admitted = await StepAsync("dry-run pod create", failed,
            () => api.CreateAsync(KindRegistry.Pods, Namespace, Pod(), new WriteOptions(DryRun: true), cancellationToken)).ConfigureAwait(false);
        var running = await StepAsync("typed pod", failed, () => Task.FromResult(Running(admitted ?? Pod(), now))).ConfigureAwait(false);
        if (running is not null)
        {
            await StepAsync("kubelet container start", failed, () => Task.FromResult(Berth.Kubelet.KubeletWarmup.Run(running))).ConfigureAwait(false);
        }
        await StepAsync("dry-run event create", failed, () => api.CreateAsync(KindRegistry.Events, Namespace, Event(admitted ?? Pod(), now),
            new WriteOptions(DryRun: true), cancellationToken)).ConfigureAwait(false);
        await StepAsync("service account token", failed, () => Task.FromResult(tokens.Issue(Claims(now)))).ConfigureAwait(false);
        return failed;
    }

    /// <summary>The pod a client would post: one container with a command, no node, no volumes of its own.</summary>
    internal static JsonObject Pod() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = PodName, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["app"] = PodName } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["image"] = "busybox",
                ["command"] = new JsonArray("/bin/sleep", "3600"),
            }),
        },
    };

    /// <summary>Decodes the pod, gives it the status a kubelet reports for a running container, and encodes and decodes it again.</summary>
    private static V1Pod Running(JsonObject pod, DateTimeOffset now)
    {
        var model = ApiJson.ToModel<V1Pod>(pod);
        var started = now.UtcDateTime;
        model.Status = new V1PodStatus
        {
            Phase = "Running",
            QosClass = "BestEffort",
            HostIP = "127.0.0.1",
            HostIPs = [new V1HostIP { Ip = "127.0.0.1" }],
            PodIP = "10.244.0.2",
            PodIPs = [new V1PodIP { Ip = "10.244.0.2" }],
            StartTime = started,
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = started }],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "app", Image = "busybox", ImageID = "", ContainerID = "berth://0", Ready = true, Started = true,
                    RestartCount = 0, State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = started } },
                },
            ],
        };
        return ApiJson.ToModel<V1Pod>(ApiJson.FromModel(model));
    }

    private static JsonObject Event(JsonObject pod, DateTimeOffset now) => new EventRecord(Namespace, EventRecord.MakeName(PodName, now),
        ObjectReference.FromObject(pod), EventTypes.Normal, "Scheduled", $"Successfully assigned {Namespace}/{PodName} to a node",
        new EventSource("default-scheduler"), now, now, 1).ToJson();

    private static ServiceAccountTokenClaims Claims(DateTimeOffset now) => new(Namespace, "default", Guid.Empty.ToString(),
        new BoundObject(PodName, Guid.Empty.ToString()), null, [ServiceAccountTokenIssuer.DefaultIssuer], now, now.AddSeconds(ServiceAccountAdmission.TokenExpirationSeconds));

    private static async Task<T?> StepAsync<T>(string name, List<string> failed, Func<Task<T>> step)
        where T : class
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failed.Add($"{name} ({e.GetType().Name})");
            return null;
        }
    }
}
