using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>
/// DELETE of one object and of a collection. DeleteOptions come from the body or the query (the body wins field by
/// field). Pods, namespaces, services and serviceaccounts answer with the object; other kinds answer with the object
/// while it still exists (graceful deletion, finalizers) and a Success Status once it is gone. Always 200.
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/delete.go (DeleteResource, DeleteCollection).
/// </summary>
internal static class DeleteHandler
{
    /// <summary>Kinds whose upstream store sets ReturnDeletedObject.</summary>
    private static readonly HashSet<ResourceKind> ReturnDeletedObject =
        [KindRegistry.Pods, KindRegistry.Namespaces, KindRegistry.Services, KindRegistry.ServiceAccounts];

    public static async Task HandleAsync(ResourceRequest r)
    {
        var options = await ReadOptionsAsync(r).ConfigureAwait(false);
        var (kind, name) = (r.Info.Kind, r.Info.Name!);
        var result = await r.Api.DeleteAsync(kind, r.Info.Namespace, name, options, r.Aborted).ConfigureAwait(false);
        var body = !result.Deleted || ReturnDeletedObject.Contains(kind) ? result.Object : DeletedStatus(kind, name, result.Object.GetUid());
        await ResponseWriter.WriteObjectAsync(r.Context, StatusCodes.Status200OK, body).ConfigureAwait(false);
    }

    public static async Task HandleCollectionAsync(ResourceRequest r)
    {
        var options = await ReadOptionsAsync(r).ConfigureAwait(false);
        var list = await r.Api.DeleteCollectionAsync(r.Info.Kind, r.Info.Namespace, QueryParameters.List(r.Request), options, r.Aborted)
            .ConfigureAwait(false);
        await ResponseWriter.WriteListAsync(r.Context, r.Info.Kind, list).ConfigureAwait(false);
    }

    private static async Task<DeleteOptions> ReadOptionsAsync(ResourceRequest r)
    {
        var query = QueryParameters.Delete(r.Request);
        var json = await RequestDecoder.ReadOptionalObjectAsync(r.Request, r.Aborted).ConfigureAwait(false);
        if (json is null)
        {
            return query;
        }
        var body = DeleteOptionsJson.Parse(json);
        return new DeleteOptions(
            body.GracePeriodSeconds ?? query.GracePeriodSeconds,
            body.PropagationPolicy ?? query.PropagationPolicy,
            body.PreconditionUid,
            body.PreconditionResourceVersion,
            body.DryRun || query.DryRun);
    }

    /// <summary>The Success Status of a completed delete: details name, group, kind (the resource), uid.</summary>
    private static JsonObject DeletedStatus(ResourceKind kind, string name, string? uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (kind.Group.Length > 0)
        {
            details["group"] = kind.Group;
        }
        details["kind"] = kind.Resource;
        if (!string.IsNullOrEmpty(uid))
        {
            details["uid"] = uid;
        }
        return new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["details"] = details,
        };
    }
}
