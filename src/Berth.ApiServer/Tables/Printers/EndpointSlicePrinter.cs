using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// <c>kubectl get endpointslices</c>: Name, AddressType, Ports, Endpoints, Age. Ports and Endpoints show the
/// first three entries then <c>+ N more...</c>, and <c>&lt;unset&gt;</c> when empty. Mirrors printEndpointSlice,
/// formatDiscoveryPorts, formatDiscoveryEndpoints and listWithMoreString in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal sealed class EndpointSlicePrinter : ITablePrinter
{
    private const int Max = 3;

    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Text("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
        CommonColumns.Text("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        CommonColumns.Text("Endpoints", "endpoints is a list of unique endpoints in this slice."),
        CommonColumns.Age,
    ];

    public IReadOnlyList<object?> Cells(JsonObject obj, DateTimeOffset now) =>
    [
        MetaCells.Name(obj),
        obj.StrOrEmpty("addressType"),
        FormatPorts(obj.Arr("ports")),
        FormatEndpoints(obj.Arr("endpoints")),
        MetaCells.Age(obj, now),
    ];

    /// <summary>Each port's number, else its name, else <c>*</c>.</summary>
    private static string FormatPorts(JsonArray? ports)
    {
        var items = new List<string>();
        foreach (var port in ports.Objects())
        {
            items.Add(port.Int("port") is { } n ? n.ToString(CultureInfo.InvariantCulture) : port.Str("name") ?? "*");
        }
        return ListWithMore(items);
    }

    private static string FormatEndpoints(JsonArray? endpoints)
    {
        var items = new List<string>();
        foreach (var endpoint in endpoints.Objects())
        {
            items.AddRange(endpoint.Arr("addresses").StringItems());
        }
        return ListWithMore(items);
    }

    private static string ListWithMore(List<string> items)
    {
        var shown = string.Join(",", items.Take(Max));
        if (items.Count > Max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{shown} + {items.Count - Max} more...");
        }
        return shown.Length == 0 ? "<unset>" : shown;
    }
}
