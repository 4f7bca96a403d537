using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// The served OpenAPI v3 documents, serialised once at construction, each with a content hash that is stable for as
/// long as <see cref="KindRegistry"/> does not change. Immutable and thread-safe (a DI singleton).
/// </summary>
/// <remarks>Mirrors k8s.io/kube-openapi pkg/handler3/handler.go (root discovery plus hashed per-GV documents).</remarks>
public sealed class OpenApiV3Catalog
{
    private readonly Dictionary<string, (byte[] Body, string Hash)> documents = new(StringComparer.Ordinal);

    public OpenApiV3Catalog(IReadOnlyList<ResourceKind> kinds)
    {
        var root = new JsonObject();
        foreach (var gv in kinds.GroupBy(k => (k.Group, k.Version)))
        {
            var key = RelativePath(gv.Key.Group, gv.Key.Version);
            var body = JsonSerializer.SerializeToUtf8Bytes(OpenApiV3Document.Build(gv));
            var hash = Convert.ToHexString(SHA512.HashData(body));
            documents[key] = (body, hash);
            root[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }
        Root = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = root });
    }

    /// <summary>The <c>/openapi/v3</c> body: <c>{"paths":{"api/v1":{"serverRelativeURL":…}}}</c>.</summary>
    public byte[] Root { get; }

    /// <summary><c>api/v1</c> for the core group, <c>apis/apps/v1</c> otherwise.</summary>
    public static string RelativePath(string group, string version) =>
        group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    /// <summary>Finds the document at <paramref name="relativePath"/> (<c>api/v1</c>, <c>apis/apps/v1</c>).</summary>
    public bool TryGet(string relativePath, out byte[] body, out string hash)
    {
        if (documents.TryGetValue(relativePath, out var entry))
        {
            (body, hash) = entry;
            return true;
        }
        (body, hash) = ([], "");
        return false;
    }
}
