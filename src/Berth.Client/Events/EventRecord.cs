using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Client.Events;

/// <summary>
/// A core/v1 Event on its way to the API, immutable so the correlator can derive variants with <c>with</c>.
/// <see cref="ResourceVersion"/> is set once the event has been written and is being counted up.
/// </summary>
/// <remarks>Mirrors the fields of k8s.io/api core/v1 Event that k8s.io/client-go tools/record fills.</remarks>
public sealed record EventRecord(
    string Namespace,
    string Name,
    ObjectReference InvolvedObject,
    string Type,
    string Reason,
    string Message,
    EventSource Source,
    DateTimeOffset FirstTimestamp,
    DateTimeOffset LastTimestamp,
    int Count,
    string ResourceVersion = "")
{
    /// <summary><c>&lt;involvedObject.name&gt;.&lt;unix nanoseconds in hex&gt;</c>, as client-go names events.</summary>
    public static string MakeName(string involvedName, DateTimeOffset at) =>
        involvedName + "." + ((at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>metav1.Time's wire form: RFC 3339 in UTC with whole seconds.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The Event object to create (without resourceVersion).</summary>
    public JsonObject ToJson() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
        ["involvedObject"] = InvolvedObject.ToJson(),
        ["reason"] = Reason,
        ["message"] = Message,
        ["source"] = Source.Host.Length > 0
            ? new JsonObject { ["component"] = Source.Component, ["host"] = Source.Host }
            : new JsonObject { ["component"] = Source.Component },
        ["firstTimestamp"] = FormatTime(FirstTimestamp),
        ["lastTimestamp"] = FormatTime(LastTimestamp),
        ["count"] = Count,
        ["type"] = Type,
        ["reportingComponent"] = Source.Component,
        ["reportingInstance"] = Source.Host,
    };
}
