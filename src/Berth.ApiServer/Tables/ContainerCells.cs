using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The wide-output Containers and Images cells of workload printers.
/// Mirrors layoutContainerCells in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal static class ContainerCells
{
    /// <summary>Comma-joined container names and images of a pod spec, in spec order; "" and "" when absent.</summary>
    public static (string Names, string Images) Layout(JsonObject? podSpec)
    {
        var containers = podSpec.Arr("containers");
        if (containers is null || containers.Count == 0)
        {
            return ("", "");
        }
        var names = new List<string>(containers.Count);
        var images = new List<string>(containers.Count);
        foreach (var c in containers)
        {
            var o = c as JsonObject;
            names.Add(o.StrOrEmpty("name"));
            images.Add(o.StrOrEmpty("image"));
        }
        return (string.Join(",", names), string.Join(",", images));
    }
}
