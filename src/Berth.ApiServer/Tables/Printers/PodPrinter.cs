using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get pods</c>: Name, Ready, Status, Restarts, Age, [IP, Node, Nominated Node, Readiness Gates].
/// Terminal pods carry a <c>Completed</c> row condition. Reads the pod as a <see cref="JsonElement"/>; a
/// <see cref="JsonObject"/> is serialised once and read the same way. The clock-independent facts come from
/// <see cref="Prepare"/> (cached per stored value in LISTs). Mirrors printPod in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class PodPrinter : IPreparedRowPrinter
{
    private const string None = "<none>";

    private static readonly string[][] ReadyStrings = [.. Enumerable.Range(0, 5)
        .Select(total => Enumerable.Range(0, total + 1).Select(ready => string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}")).ToArray())];

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        CommonColumns.Text("Status", "The aggregate status of the containers in this pod."),
        CommonColumns.Text("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        CommonColumns.Age,
        CommonColumns.Wide("IP", "podIP address allocated to the pod."),
        CommonColumns.Wide("Node", "NodeName indicates in which node this pod is scheduled."),
        CommonColumns.Wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node."),
        CommonColumns.Wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."),
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        using var doc = ElementFields.ToDocument(obj);
        return Cells(doc.RootElement, now);
    }

    public JsonArray? RowConditions(JsonObject obj) => ConditionsForPhase(obj.Obj("status").Str("phase"));

    public IReadOnlyList<object?> Cells(JsonElement obj, DateTimeOffset now) => Prepare(obj).Cells(now);

    public JsonArray? RowConditions(JsonElement obj) => ConditionsForPhase(obj.Obj("status").Str("phase"));

    public IPreparedRow Prepare(JsonElement obj)
    {
        var summary = PodStatusSummary.Compute(obj);
        var spec = obj.Obj("spec");
        var status = obj.Obj("status");
        return new PodRow(
            MetaCells.Name(obj),
            Ready(summary.ReadyContainers, summary.TotalContainers),
            string.IsInterned(summary.Reason) ?? summary.Reason,
            summary.Restarts,
            summary.LastRestart,
            Timestamps.TryParse(obj.Obj("metadata").Str("creationTimestamp"), out var created) ? created : null,
            OrNone(PodIP(status)),
            OrNone(spec.Str("nodeName")),
            OrNone(status.Str("nominatedNodeName")),
            ReadinessGates(spec, status),
            status.Str("phase"));
    }

    /// <summary>Upstream's row conditions: <c>Completed</c> for a terminal phase, else none.</summary>
    internal static JsonArray? ConditionsForPhase(string? phase) => phase switch
    {
        "Succeeded" => Completed("Succeeded", "The pod has completed successfully."),
        "Failed" => Completed("Failed", "The pod failed."),
        _ => null,
    };

    /// <summary>The READY cell; the common small counts share one string each.</summary>
    private static string Ready(int ready, int total) =>
        total < ReadyStrings.Length && ready >= 0 && ready <= total
            ? ReadyStrings[total][ready]
            : string.Create(CultureInfo.InvariantCulture, $"{ready}/{total}");

    /// <summary>The first of <c>status.podIPs</c>, falling back to <c>status.podIP</c> as v1→internal conversion does.</summary>
    private static string? PodIP(JsonElement status) =>
        status.Arr("podIPs") is var ips && ips.Length() > 0 ? ips[0].Str("ip") : status.Str("podIP");

    /// <summary><c>true/total</c> of the pod's readiness gates, or <c>&lt;none&gt;</c> without gates.</summary>
    private static string ReadinessGates(JsonElement spec, JsonElement status)
    {
        var gates = spec.Arr("readinessGates");
        if (gates.Length() == 0)
        {
            return None;
        }
        var conditions = status.Arr("conditions");
        var trueConditions = 0;
        foreach (var gate in gates.EnumerateArray())
        {
            var type = gate.Str("conditionType");
            if (type is not null && conditions.FindByType(type).Str("status") == "True")
            {
                trueConditions++;
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{trueConditions}/{gates.GetArrayLength()}");
    }

    private static JsonArray Completed(string reason, string message) =>
        [new JsonObject { ["type"] = "Completed", ["status"] = "True", ["reason"] = reason, ["message"] = message }];

    private static string OrNone(string? s) => string.IsNullOrEmpty(s) ? None : s;
}
