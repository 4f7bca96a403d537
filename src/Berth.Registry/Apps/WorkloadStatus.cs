using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Apps;

/// <summary>
/// Status-subresource rules shared by the apps kinds: a status write keeps the old labels (upstream's status
/// strategies copy <c>Labels</c> from the old object along with the spec).
/// </summary>
internal static class WorkloadStatus
{
    public static void KeepLabels(JsonObject newObj, JsonObject oldObj)
    {
        var labels = oldObj.GetPath("metadata", "labels")?.DeepClone();
        if (labels is null)
        {
            newObj.Metadata().Remove("labels");
        }
        else
        {
            newObj.Metadata()["labels"] = labels;
        }
    }
}
