using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// The clock-independent facts of one <c>kubectl get pods</c> row (<see cref="PodPrinter.Prepare"/>); AGE and the
/// "(5m ago)" of RESTARTS are formatted per call. Immutable; cached per stored value by <see cref="PreparedRowCache"/>.
/// </summary>
internal sealed class PodRow(
    string name, string ready, string status, long restarts, DateTimeOffset? lastRestart, DateTimeOffset? created,
    string ip, string node, string nominatedNode, string readinessGates, string? phase) : IPreparedRow
{
    public IReadOnlyList<object?> Cells(DateTimeOffset now) =>
    [
        name,
        ready,
        status,
        FormatRestarts(now),
        created is { } t ? HumanDuration.Format(now - t) : Timestamps.Unknown,
        ip,
        node,
        nominatedNode,
        readinessGates,
    ];

    public JsonArray? RowConditions() => PodPrinter.ConditionsForPhase(phase);

    /// <summary><c>N</c>, or <c>N (5m ago)</c> when a container restarted and its last termination time is known.</summary>
    private string FormatRestarts(DateTimeOffset now)
    {
        var count = restarts.ToString(CultureInfo.InvariantCulture);
        return restarts != 0 && lastRestart is { } last ? $"{count} ({HumanDuration.Format(now - last)} ago)" : count;
    }
}
