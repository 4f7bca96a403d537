using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>
/// Whether a per-namespace controller (default ServiceAccount, root CA publisher) may create objects in a namespace:
/// it exists, is not being deleted and its phase is Active (or not yet set). Creating in a Terminating namespace
/// would be refused by the namespace lifecycle admission anyway.
/// </summary>
internal static class ActiveNamespace
{
    public static bool IsActive(JsonObject? ns) =>
        ns is not null && ns.GetString("metadata", "deletionTimestamp") is null
        && (ns.GetString("status", "phase") is not { } phase || phase == "Active");
}
