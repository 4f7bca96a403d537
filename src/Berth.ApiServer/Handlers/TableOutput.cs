using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Handlers;

/// <summary>Builds Tables for the negotiated Table version (meta.k8s.io/v1 or v1beta1) through <see cref="TableBuilder"/>.</summary>
internal static class TableOutput
{
    public static JsonObject Build(ResourceKind kind, IReadOnlyList<JsonObject> items, string? resourceVersion, string? continueToken,
        OutputFormat format, DateTimeOffset now, bool includeColumnDefinitions)
    {
        var table = TableBuilder.Build(kind, items, resourceVersion, continueToken, format.IncludeObject, now, includeColumnDefinitions);
        table["apiVersion"] = format.TableApiVersion ?? "meta.k8s.io/v1";
        return table;
    }
}
