using Berth.ApiServer.Tables;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Berth.ApiServer.Http;

/// <summary>The response shape negotiated from <c>Accept</c>: plain JSON, or a <c>meta.k8s.io</c> Table.</summary>
/// <param name="TableApiVersion">Null for plain JSON; <c>meta.k8s.io/v1</c> or <c>meta.k8s.io/v1beta1</c> for a Table.</param>
internal sealed record OutputFormat(string? TableApiVersion, IncludeObjectPolicy IncludeObject)
{
    public static readonly OutputFormat Json = new(null, IncludeObjectPolicy.Metadata);

    public bool IsTable => TableApiVersion is not null;
}

/// <summary>
/// Chooses the response format from the <c>Accept</c> list in order (kubectl-wire.md §1): the first entry we can serve
/// wins. <c>as=Table;g=meta.k8s.io;v=v1|v1beta1</c> gives a Table; plain <c>application/json</c>, <c>application/*</c>,
/// <c>*/*</c> give JSON; protobuf and other types are skipped, and a list with nothing we serve is 406.
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/negotiation and handlers/response.go (Table conversion).
/// </summary>
internal static class ContentNegotiation
{
    /// <summary>Parses <c>Accept</c> and the <c>includeObject</c> query parameter.</summary>
    public static OutputFormat Negotiate(HttpRequest request)
    {
        var include = ParseIncludeObject(request.Query["includeObject"]);
        var accept = request.Headers.Accept;
        if (StringValues.IsNullOrEmpty(accept))
        {
            return OutputFormat.Json;
        }
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0)
        {
            return OutputFormat.Json;
        }
        foreach (var type in types)
        {
            if (Choose(type, include) is { } format)
            {
                return format;
            }
        }
        throw ApiErrors.NotAcceptable(
            "only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io");
    }

    private static OutputFormat? Choose(MediaTypeHeaderValue type, IncludeObjectPolicy include)
    {
        var mediaType = type.MediaType.Value ?? "";
        if (mediaType is not ("application/json" or "application/*" or "*/*"))
        {
            return null;
        }
        var asParam = Param(type, "as");
        if (asParam is null)
        {
            return OutputFormat.Json with { IncludeObject = include };
        }
        if (asParam == "Table" && Param(type, "g") == "meta.k8s.io" && Param(type, "v") is "v1" or "v1beta1")
        {
            return new OutputFormat("meta.k8s.io/" + Param(type, "v"), include);
        }
        return null;
    }

    private static string? Param(MediaTypeHeaderValue type, string name) =>
        type.Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Value;

    private static IncludeObjectPolicy ParseIncludeObject(StringValues value) => value.ToString() switch
    {
        "" or "Metadata" => IncludeObjectPolicy.Metadata,
        "None" => IncludeObjectPolicy.None,
        "Object" => IncludeObjectPolicy.Object,
        var other => throw ApiErrors.BadRequest($"includeObject: Unsupported value: \"{other}\": supported values: \"Metadata\", \"None\", \"Object\""),
    };
}
