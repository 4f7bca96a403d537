using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Meta;

namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// The wire form of <c>PodMetrics</c>, <c>NodeMetrics</c> and their lists, as metrics-server writes them: CPU in
/// canonical nanocores (<c>1234567n</c>), memory as a canonical binary quantity (<c>20480Ki</c>), the window as a Go
/// duration (<c>10.002s</c>), and <c>metadata.creationTimestamp</c> = the time of the request. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes-sigs/metrics-server pkg/api (pod.go, node.go) and k8s.io/metrics pkg/apis/metrics/v1beta1 types.go.</remarks>
public static class MetricsObjects
{
    public static JsonObject Pod(PodUsage usage, DateTimeOffset now)
    {
        var containers = new JsonArray();
        foreach (var c in usage.Containers)
        {
            containers.Add(new JsonObject { ["name"] = c.Name, ["usage"] = Usage(c.NanoCores, c.MemoryBytes) });
        }
        return new JsonObject
        {
            ["kind"] = MetricsKinds.PodMetrics.Kind,
            ["apiVersion"] = MetricsKinds.ApiVersion,
            ["metadata"] = Metadata(usage.Name, usage.Namespace, usage.Labels, now),
            ["timestamp"] = Time(usage.Timestamp),
            ["window"] = GoDuration(usage.Window),
            ["containers"] = containers,
        };
    }

    public static JsonObject Node(NodeUsage usage, IReadOnlyDictionary<string, string> labels, DateTimeOffset now) => new()
    {
        ["kind"] = MetricsKinds.NodeMetrics.Kind,
        ["apiVersion"] = MetricsKinds.ApiVersion,
        ["metadata"] = Metadata(usage.NodeName, null, labels, now),
        ["timestamp"] = Time(usage.Timestamp),
        ["window"] = GoDuration(usage.Window),
        ["usage"] = Usage(usage.NanoCores, usage.MemoryBytes),
    };

    public static JsonObject List(string listKind, IEnumerable<JsonObject> items) => new()
    {
        ["kind"] = listKind,
        ["apiVersion"] = MetricsKinds.ApiVersion,
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items]),
    };

    /// <summary>
    /// Go's <c>time.Duration.String()</c> at millisecond precision: <c>0s</c>, <c>950ms</c>, <c>10.002s</c>, <c>1m5.5s</c>,
    /// <c>1h0m0s</c>.
    /// </summary>
    public static string GoDuration(TimeSpan window)
    {
        var ms = (long)Math.Round(window.TotalMilliseconds);
        if (ms == 0)
        {
            return "0s";
        }
        if (ms < 1000)
        {
            return Text(ms) + "ms";
        }
        var hours = ms / 3_600_000;
        var minutes = ms / 60_000 % 60;
        var seconds = (ms % 60_000 / 1000m).ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return hours > 0 ? $"{Text(hours)}h{Text(minutes)}m{seconds}" : minutes > 0 ? $"{Text(minutes)}m{seconds}" : seconds;
    }

    private static JsonObject Usage(long nanoCores, long memoryBytes) => new()
    {
        ["cpu"] = QuantityFormat.DecimalNano(nanoCores),
        ["memory"] = QuantityFormat.Binary(memoryBytes),
    };

    private static JsonObject Metadata(string name, string? ns, IReadOnlyDictionary<string, string> labels, DateTimeOffset now)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }
        meta["creationTimestamp"] = Time(now);
        if (labels.Count > 0)
        {
            var map = new JsonObject();
            foreach (var (key, value) in labels)
            {
                map[key] = value;
            }
            meta["labels"] = map;
        }
        return meta;
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
