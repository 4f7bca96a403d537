using System.Text.Json.Nodes;
using Berth.Controllers.Disruption;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.ReplicaSet;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.ReplicaSet.WorkloadObjects;

namespace Berth.UnitTests.Controllers.Disruption;

/// <summary>
/// The disruption controller over the real registry (<see cref="WorkloadTestHost"/>): the status it computes for
/// each way of stating a budget, the fail-safe, and the expiry of disruptedPods entries.
/// </summary>
public sealed class DisruptionControllerTests : IAsyncDisposable
{
    private const string Ns = WorkloadTestHost.Ns;

    private readonly CancellationTokenSource _stop = new();
    private WorkloadTestHost _host = new();
    private Task? _run;
    private DisruptionController? _controller;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.DefaultTimeout();
        }
        await _host.DisposeAsync();
        _controller?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Starts the disruption controller, plus the ReplicaSet and Deployment controllers when asked.</summary>
    private void Run(bool workloads = false)
    {
        _controller = new DisruptionController(_host.Informers, _host.Api, _host.Events, _host.Time, NullLogger<DisruptionController>.Instance);
        _host.Run(replicaSets: workloads, deployments: workloads);
        _run = _controller.RunAsync(1, _stop.Token);
    }

    private static JsonObject Budget(string name, string app, string field, JsonNode value) => new()
    {
        ["apiVersion"] = "policy/v1", ["kind"] = "PodDisruptionBudget",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject { [field] = value, ["selector"] = Selector(app) },
    };

    private Task<JsonObject> CreateBudgetAsync(string app, string field, JsonNode value) =>
        _host.Api.CreateAsync(KindRegistry.PodDisruptionBudgets, Ns, Budget(app, app, field, value));

    /// <summary>Waits until the budget's status observed its generation and satisfies <paramref name="done"/>, and returns it.</summary>
    private async Task<JsonObject> StatusAsync(string name, Func<JsonObject, bool> done)
    {
        JsonObject? status = null;
        await _host.WaitUntilAsync(async () =>
        {
            var pdb = await _host.GetAsync(KindRegistry.PodDisruptionBudgets, name);
            status = pdb.GetObject("status");
            return status?.GetLong("observedGeneration") == pdb.GetLong("metadata", "generation") && done(status!);
        }, $"status of {name}");
        return status!;
    }

    private static (long?, long?, long?, long?) Counts(JsonObject status) => (status.GetLong("currentHealthy"), status.GetLong("desiredHealthy"),
        status.GetLong("expectedPods"), status.GetLong("disruptionsAllowed"));

    private static (string?, string?) Allowed(JsonObject status)
    {
        var c = status.GetArray("conditions")!.OfType<JsonObject>().Single(c => c.GetString("type") == "DisruptionAllowed");
        return (c.GetString("status"), c.GetString("reason"));
    }

    [Fact]
    public async Task Sync_MinAvailableInt_CountsReadyPodsAgainstIt()
    {
        Run();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod(name, "web"));
        }
        var pods = await _host.ActivePodsAsync();
        await _host.MarkPodReadyAsync(pods[0]);
        await _host.MarkPodReadyAsync(pods[1]);

        await CreateBudgetAsync("web", "minAvailable", 1);

        var status = await StatusAsync("web", s => s.GetLong("currentHealthy") == 2);
        Assert.Equal((2L, 1L, 3L, 1L), Counts(status));
        Assert.Equal(("True", "SufficientPods"), Allowed(status));
    }

    [Fact]
    public async Task Sync_MaxUnavailablePercent_ScalesAgainstTheDeploymentRoundingUp()
    {
        Run(workloads: true);
        await _host.Api.CreateAsync(KindRegistry.Deployments, Ns, NewDeployment("web", 4, "web"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 4);
        await _host.MarkReadyAsync();

        await CreateBudgetAsync("web", "maxUnavailable", "30%");

        var status = await StatusAsync("web", s => s.GetLong("currentHealthy") == 4);
        Assert.Equal((4L, 2L, 4L, 2L), Counts(status));
    }

    [Fact]
    public async Task Sync_MinAvailablePercentOfReplicaSet_RoundsUpAndTracksReadiness()
    {
        Run(workloads: true);
        await _host.Api.CreateAsync(KindRegistry.ReplicaSets, Ns, NewReplicaSet("web", 3, "web"));
        await _host.WaitUntilAsync(async () => (await _host.ActivePodsAsync()).Count == 3);
        await CreateBudgetAsync("web", "minAvailable", "50%");

        var before = await StatusAsync("web", s => s.GetLong("expectedPods") == 3);
        Assert.Equal((0L, 2L, 3L, 0L), Counts(before));
        Assert.Equal(("False", "InsufficientPods"), Allowed(before));

        await _host.MarkReadyAsync();

        var after = await StatusAsync("web", s => s.GetLong("currentHealthy") == 3);
        Assert.Equal((3L, 2L, 3L, 1L), Counts(after));
        Assert.Equal(("True", "SufficientPods"), Allowed(after));
    }

    [Fact]
    public async Task Sync_PercentWithUnmanagedPods_ExpectsNothingAndWarns()
    {
        Run();
        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod("bare", "web"));
        await _host.MarkReadyAsync();

        await CreateBudgetAsync("web", "minAvailable", "50%");

        var status = await StatusAsync("web", s => s.GetLong("currentHealthy") == 1);
        Assert.Equal((1L, 0L, 0L, 0L), Counts(status));
        await _host.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Reason == "UnmanagedPods" && e.Type == "Warning"));
    }

    [Fact]
    public async Task Sync_PodOfAKindWithoutScale_FailsSafe()
    {
        Run();
        var job = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "Job", ["name"] = "j", ["uid"] = "job-uid", ["controller"] = true,
        });
        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod("job-pod", "web", job));
        await _host.MarkReadyAsync();

        await CreateBudgetAsync("web", "maxUnavailable", 1);

        await _host.WaitUntilAsync(async () => (await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web"))
            .GetArray("status", "conditions")?.OfType<JsonObject>().Any(c => c.GetString("reason") == "SyncFailed") == true,
            "the sync fails once the informer has the pod");
        var status = (await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web")).GetObject("status")!;
        Assert.Equal(0, status.GetLong("disruptionsAllowed"));
        var condition = status.GetArray("conditions")!.OfType<JsonObject>().Single();
        Assert.Equal(("False", "SyncFailed", "jobs.batch does not implement the scale subresource"),
            (condition.GetString("status"), condition.GetString("reason"), condition.GetString("message")));
    }

    [Fact]
    public async Task Sync_NoMatchingPods_ZeroAllowedAndNoPodsEvent()
    {
        Run();

        await CreateBudgetAsync("web", "minAvailable", 0);

        var status = await StatusAsync("web", _ => true);
        Assert.Equal((0L, 0L, 0L, 0L), Counts(status));
        await _host.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Reason == "NoPods" && e.Message == "No matching pods found"));
    }

    [Fact]
    public async Task Sync_DisruptedPodEntry_NotHealthyUntilDeletionTimeoutThenDropped()
    {
        await _host.DisposeAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 5, 0, 0, TimeSpan.Zero));
        _host = new WorkloadTestHost(clock);
        Run();
        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod("a", "web"));
        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod("b", "web"));
        await _host.MarkReadyAsync();
        await CreateBudgetAsync("web", "minAvailable", 1);
        await StatusAsync("web", s => s.GetLong("disruptionsAllowed") == 1);

        var pdb = await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web");
        pdb.SetPath(0, "status", "disruptionsAllowed");
        pdb.SetPath(MetaTime(clock.GetUtcNow()), "status", "disruptedPods", "a");
        await _host.Api.UpdateAsync(KindRegistry.PodDisruptionBudgets, Ns, pdb, "status");
        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Pod("c", "web"));

        var during = await StatusAsync("web", s => s.GetLong("expectedPods") == 3);
        Assert.Equal((1L, 1L, 3L, 0L), Counts(during));
        Assert.NotNull(during.GetString("disruptedPods", "a"));

        clock.Advance(DisruptionController.DeletionTimeout);
        var after = await StatusAsync("web", s => s.GetObject("disruptedPods") is null);
        Assert.Equal((2L, 1L, 3L, 1L), Counts(after));
        await _host.WaitUntilAsync(() => _host.Events.Events.Any(e => e.Reason == "NotDeleted" && e.Object.Name == "a"));
    }

    private static string MetaTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
