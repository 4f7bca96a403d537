using System.Globalization;
using System.Text.Json;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>The READY, STATUS and RESTARTS facts of one pod, before they are formatted against a clock.</summary>
/// <param name="ReadyContainers">Ready running app containers plus ready started sidecars.</param>
/// <param name="TotalContainers">App containers plus restartable init containers (sidecars).</param>
/// <param name="Reason">The STATUS cell.</param>
/// <param name="Restarts">Restarts counted the way printPod counts them.</param>
/// <param name="LastRestart">The latest <c>lastState.terminated.finishedAt</c> among counted containers, if any.</param>
internal readonly record struct PodSummary(
    int ReadyContainers, int TotalContainers, string Reason, long Restarts, DateTimeOffset? LastRestart);

/// <summary>
/// Computes the pod STATUS, READY and RESTARTS cells exactly as upstream's printPod does: status.reason or phase,
/// SchedulingGated, the first unfinished init container (<c>Init:N/M</c>, <c>Init:&lt;reason&gt;</c>,
/// <c>Init:ExitCode:N</c>, <c>Init:Signal:N</c>), sidecars, app containers from last to first, Completed with a
/// running container becoming Running/NotReady, then Unknown (NodeLost) or Terminating while deleting.
/// Reads the pod as a <see cref="JsonElement"/> (stored bytes parsed once, no DOM).
/// Mirrors printPod in kubernetes/kubernetes pkg/printers/internalversion/printers.go. Pure and thread-safe.
/// </summary>
internal static class PodStatusSummary
{
    /// <summary>status.reason of pods whose node stopped reporting (pkg/util/node NodeUnreachablePodReason).</summary>
    private const string NodeUnreachablePodReason = "NodeLost";

    public static PodSummary Compute(JsonElement pod)
    {
        var spec = pod.Obj("spec");
        var status = pod.Obj("status");
        var phase = status.StrOrEmpty("phase");
        var tally = new Tally(spec) { Reason = NonEmpty(status.Str("reason")) ?? phase };
        var conditions = status.Arr("conditions");
        foreach (var c in conditions.Objects())
        {
            if (c.Str("type") == "PodScheduled" && c.Str("reason") == "SchedulingGated")
            {
                tally.Reason = "SchedulingGated";
            }
        }
        var initializing = ScanInitContainers(tally, spec, status);
        if (!initializing || conditions.FindByType("Initialized").Str("status") == "True")
        {
            ScanContainers(tally, status, conditions);
        }
        if (MetaCells.IsDeleting(pod))
        {
            if (status.Str("reason") == NodeUnreachablePodReason)
            {
                tally.Reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                tally.Reason = "Terminating";
            }
        }
        return new PodSummary(tally.Ready, tally.Total, tally.Reason, tally.Restarts, tally.LastRestart);
    }

    /// <summary>Walks init container statuses up to the first one still blocking; true when the pod is initializing.</summary>
    private static bool ScanInitContainers(Tally tally, JsonElement spec, JsonElement status)
    {
        var index = 0;
        foreach (var cs in status.Arr("initContainerStatuses").Objects())
        {
            var i = index++;
            var restartCount = cs.IntOrZero("restartCount");
            var finishedAt = LastFinishedAt(cs);
            tally.Restarts += restartCount;
            tally.LastRestart = Later(tally.LastRestart, finishedAt);
            var sidecar = tally.IsSidecar(cs.Str("name"));
            if (sidecar)
            {
                tally.SidecarRestarts += restartCount;
                tally.SidecarLastRestart = Later(tally.SidecarLastRestart, finishedAt);
            }
            var state = cs.Obj("state");
            var terminated = state.Obj("terminated");
            if (terminated.IsObject() && terminated.IntOrZero("exitCode") == 0)
            {
                continue;
            }
            if (sidecar && cs.Bool("started") == true)
            {
                tally.Ready += cs.Bool("ready") == true ? 1 : 0;
                continue;
            }
            tally.Reason = InitReason(terminated, state.Obj("waiting"), i, spec.CountOf("initContainers"));
            return true;
        }
        return false;
    }

    private static string InitReason(JsonElement terminated, JsonElement waiting, int index, int initCount)
    {
        if (terminated.IsObject())
        {
            return NonEmpty(terminated.Str("reason")) is { } r ? "Init:" + r : "Init:" + ExitDescription(terminated);
        }
        if (NonEmpty(waiting.Str("reason")) is { } w && w != "PodInitializing")
        {
            return "Init:" + w;
        }
        return string.Create(CultureInfo.InvariantCulture, $"Init:{index}/{initCount}");
    }

    /// <summary>App containers from last to first, so that the first container with a reason wins.</summary>
    private static void ScanContainers(Tally tally, JsonElement status, JsonElement conditions)
    {
        tally.Restarts = tally.SidecarRestarts;
        tally.LastRestart = tally.SidecarLastRestart;
        var hasRunning = false;
        var statuses = status.Arr("containerStatuses");
        for (var i = statuses.Length() - 1; i >= 0; i--)
        {
            var cs = statuses[i];
            if (!cs.IsObject())
            {
                continue;
            }
            tally.Restarts += cs.IntOrZero("restartCount");
            tally.LastRestart = Later(tally.LastRestart, LastFinishedAt(cs));
            var state = cs.Obj("state");
            var terminated = state.Obj("terminated");
            if (NonEmpty(state.Obj("waiting").Str("reason")) is { } waiting)
            {
                tally.Reason = waiting;
            }
            else if (terminated.IsObject())
            {
                tally.Reason = NonEmpty(terminated.Str("reason")) ?? ExitDescription(terminated);
            }
            else if (cs.Bool("ready") == true && state.Has("running"))
            {
                hasRunning = true;
                tally.Ready++;
            }
        }
        if (tally.Reason == "Completed" && hasRunning)
        {
            tally.Reason = conditions.FindByType("Ready").Str("status") == "True" ? "Running" : "NotReady";
        }
    }

    /// <summary><c>Signal:N</c> when a signal is recorded, else <c>ExitCode:N</c>.</summary>
    private static string ExitDescription(JsonElement terminated)
    {
        var signal = terminated.IntOrZero("signal");
        return signal != 0
            ? string.Create(CultureInfo.InvariantCulture, $"Signal:{signal}")
            : string.Create(CultureInfo.InvariantCulture, $"ExitCode:{terminated.IntOrZero("exitCode")}");
    }

    private static DateTimeOffset? LastFinishedAt(JsonElement containerStatus) =>
        Timestamps.TryParse(containerStatus.Obj("lastState").Obj("terminated").Str("finishedAt"), out var t) ? t : null;

    private static DateTimeOffset? Later(DateTimeOffset? current, DateTimeOffset? candidate) =>
        candidate is { } c && (current is null || current.Value < c) ? c : current;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>Running totals of one printPod evaluation.</summary>
    private sealed class Tally
    {
        private readonly HashSet<string>? _sidecars;

        public Tally(JsonElement spec)
        {
            Total = spec.CountOf("containers");
            foreach (var c in spec.Arr("initContainers").Objects())
            {
                if (c.Str("restartPolicy") == "Always" && c.Str("name") is { } name)
                {
                    (_sidecars ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
                    Total++;
                }
            }
        }

        public required string Reason { get; set; }
        public int Total { get; }
        public int Ready { get; set; }
        public long Restarts { get; set; }
        public long SidecarRestarts { get; set; }
        public DateTimeOffset? LastRestart { get; set; }
        public DateTimeOffset? SidecarLastRestart { get; set; }

        /// <summary>True for a restartable init container (podutil.IsRestartableInitContainer).</summary>
        public bool IsSidecar(string? name) => name is not null && _sidecars is not null && _sidecars.Contains(name);
    }
}
