using System.Text.Json.Nodes;
using Berth.ApiServer.Discovery;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Builds the OpenAPI v3 document of one group version: for every kind, its item path with a PATCH operation that
/// carries <c>x-kubernetes-group-version-kind</c> and declares the <c>fieldValidation</c> query parameter. That is
/// what kubectl's query-parameter verifier looks for before it leaves validation to the server (<c>create</c>,
/// <c>apply</c>, <c>replace</c> with the default <c>--validate=strict</c>), and where <c>kubectl explain</c> finds a
/// resource's kind before it looks the kind up in <c>components.schemas</c> (<see cref="ComponentSchemas"/>). Pure.
/// </summary>
/// <remarks>
/// The PATCH operation deliberately omits <c>application/strategic-merge-patch+json</c>: kubectl ≥ 1.30 computes a
/// client-side <c>apply</c> patch from the v3 schemas only for a kind whose PATCH lists that media type
/// (<c>gvkSupportsPatchOpenAPIV3</c> in kubectl's apply patcher); otherwise it uses its compiled-in types, as against
/// a cluster for the built-in kinds. The patch extensions in the schemas are published for other clients.
/// Mirrors the shape kube-openapi (k8s.io/kube-openapi pkg/handler3) serves and kubectl's
/// staging/src/k8s.io/kubectl/pkg/util/openapi / resource/query_param_verifier_v3.go reads.
/// </remarks>
public static class OpenApiV3Document
{
    private static readonly string[] PatchContentTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    /// <summary>The document for the kinds of one group version, in registry order, with <paramref name="schemas"/> (none by default).</summary>
    public static JsonObject Build(IEnumerable<ResourceKind> groupVersionKinds, JsonObject? schemas = null)
    {
        var paths = new JsonObject();
        foreach (var kind in groupVersionKinds)
        {
            paths[ItemPath(kind)] = new JsonObject
            {
                ["parameters"] = PathParameters(kind),
                ["patch"] = PatchOperation(kind),
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = ServerVersion.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas ?? new JsonObject() },
        };
    }

    /// <summary><c>/api/v1/namespaces/{namespace}/pods/{name}</c> or <c>/api/v1/namespaces/{name}</c>.</summary>
    public static string ItemPath(ResourceKind kind) => kind.Namespaced
        ? $"{kind.GroupVersionPath}/namespaces/{{namespace}}/{kind.Resource}/{{name}}"
        : $"{kind.GroupVersionPath}/{kind.Resource}/{{name}}";

    private static JsonArray PathParameters(ResourceKind kind)
    {
        var parameters = new JsonArray { Parameter("name", "path", "string", required: true) };
        if (kind.Namespaced)
        {
            parameters.Add(Parameter("namespace", "path", "string", required: true));
        }
        return parameters;
    }

    private static JsonObject PatchOperation(ResourceKind kind)
    {
        var content = new JsonObject();
        foreach (var type in PatchContentTypes)
        {
            content[type] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } };
        }
        return new JsonObject
        {
            ["operationId"] = OperationId(kind),
            ["x-kubernetes-action"] = "patch",
            ["x-kubernetes-group-version-kind"] = new JsonObject
            {
                ["group"] = kind.Group,
                ["version"] = kind.Version,
                ["kind"] = kind.Kind,
            },
            ["parameters"] = new JsonArray
            {
                Parameter("dryRun", "query", "string"),
                Parameter("fieldManager", "query", "string"),
                Parameter("fieldValidation", "query", "string"),
                Parameter("force", "query", "boolean"),
            },
            ["requestBody"] = new JsonObject { ["required"] = true, ["content"] = content },
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "OK" },
                ["201"] = new JsonObject { ["description"] = "Created" },
            },
        };
    }

    /// <summary><c>patchCoreV1NamespacedPod</c>, <c>patchAppsV1NamespacedDeployment</c>, <c>patchCoreV1Node</c>.</summary>
    private static string OperationId(ResourceKind kind)
    {
        var group = kind.Group.Length == 0 ? "core" : kind.Group.Split('.')[0];
        var scope = kind.Namespaced ? "Namespaced" : "";
        return $"patch{Capitalize(group)}{Capitalize(kind.Version)}{scope}{kind.Kind}";
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static JsonObject Parameter(string name, string location, string type, bool required = false)
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = location, ["schema"] = new JsonObject { ["type"] = type } };
        if (required)
        {
            parameter["required"] = true;
        }
        return parameter;
    }
}
