using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get resourcequotas</c>: Name, Request and Limit (<c>resource: used/hard</c> for every hard resource,
/// sorted by name; names starting <c>limits.</c> go to Limit, all others to Request; a resource not yet counted shows
/// <c>0</c> used), Age. Mirrors printResourceQuota in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class ResourceQuotaPrinter : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
        CommonColumns.Text("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now)
    {
        var hard = obj.Obj("spec").Obj("hard") ?? [];
        var used = obj.Obj("status").Obj("used");
        var request = new StringBuilder();
        var limit = new StringBuilder();
        foreach (var (resource, value) in hard.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var target = resource.StartsWith("limits.", StringComparison.Ordinal) ? limit : request;
            target.Append(resource).Append(": ").Append(Canonical(used?[resource] ?? "0")).Append('/').Append(Canonical(value)).Append(", ");
        }
        return [MetaCells.Name(obj), TrimSeparator(request), TrimSeparator(limit), MetaCells.Age(obj, now)];
    }

    /// <summary>Quantity.String(): the canonical form; an unparsable value as written.</summary>
    private static string Canonical(JsonNode? node)
    {
        var text = node?.ToString() ?? "0";
        try
        {
            return new ResourceQuantity(text).CanonicalizeString();
        }
        catch (FormatException)
        {
            return text;
        }
    }

    private static string TrimSeparator(StringBuilder text) => text.Length >= 2 ? text.ToString(0, text.Length - 2) : "";
}
