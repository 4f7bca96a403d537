using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Client.Remote;

/// <summary>
/// DeleteOptions on the wire and the reply of a DELETE read back as a <see cref="DeleteResult"/>. Pure.
/// Mirrors k8s.io/apimachinery meta/v1 DeleteOptions (JSON form) and the reply rules of apiserver handlers/delete.go.
/// </summary>
internal static class RemoteDeleteOptions
{
    /// <summary>The DELETE body: a meta/v1 DeleteOptions with only the set fields.</summary>
    public static JsonObject ToJson(DeleteOptions options)
    {
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (options.GracePeriodSeconds is { } grace)
        {
            body["gracePeriodSeconds"] = grace;
        }
        if (options.PropagationPolicy is { } policy)
        {
            body["propagationPolicy"] = policy;
        }
        if (options.PreconditionUid is not null || options.PreconditionResourceVersion is not null)
        {
            var preconditions = new JsonObject();
            if (options.PreconditionUid is { } uid)
            {
                preconditions["uid"] = uid;
            }
            if (options.PreconditionResourceVersion is { } rv)
            {
                preconditions["resourceVersion"] = rv;
            }
            body["preconditions"] = preconditions;
        }
        if (options.DryRun)
        {
            body["dryRun"] = new JsonArray("All");
        }
        return body;
    }

    /// <summary>
    /// The result a DELETE reply describes. A Success Status means the object is gone (the reply then carries the
    /// Status, not the object: kinds other than pods, namespaces, services and serviceaccounts answer that way). An
    /// object reply is still pending when it is marked for deletion and waits for a grace period or finalizers.
    /// </summary>
    public static DeleteResult ToResult(ResourceKind kind, JsonObject reply)
    {
        if (reply.GetString("kind") == "Status")
        {
            return new DeleteResult(reply, reply.GetString("status") == "Success");
        }
        return new DeleteResult(reply, !IsPending(kind, reply));
    }

    private static bool IsPending(ResourceKind kind, JsonObject obj)
    {
        if (obj.GetPath("metadata", "deletionTimestamp") is null)
        {
            return false;
        }
        if (obj.GetArray("metadata", "finalizers") is { Count: > 0 })
        {
            return true;
        }
        if (kind == KindRegistry.Namespaces)
        {
            return obj.GetArray("spec", "finalizers") is { Count: > 0 };
        }
        return obj.GetLong("metadata", "deletionGracePeriodSeconds") is > 0;
    }
}
