using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Diagnostics;
using Berth.Machinery.Kinds;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// The served OpenAPI v3 documents. Nothing is built before the first <c>/openapi/v3</c> request (issue 2, idle RSS):
/// the root and the hashes are computed on first use from a fingerprint (the document's paths, the server version and
/// the identities of the assemblies and documentation file the schemas come from), and each group version's document
/// is generated on its first request (<see cref="ComponentSchemas"/>) and then kept, serialised. A hash stays stable for
/// as long as the binaries and <see cref="KindRegistry"/> do not change. Thread-safe (a DI singleton).
/// </summary>
/// <remarks>Mirrors k8s.io/kube-openapi pkg/handler3/handler.go (root discovery plus hashed per-GV documents).</remarks>
public sealed partial class OpenApiV3Catalog
{
    private readonly IReadOnlyList<ResourceKind> _kinds;
    private readonly string? _descriptionsPath;
    private readonly ILogger _logger;
    private readonly IMemoryTrimScheduler? _trims;
    private readonly Lazy<Index> _index;

    /// <param name="kinds">The served kinds.</param>
    /// <param name="descriptionsPath">KubernetesClient's XML documentation; null for the file beside its assembly.</param>
    /// <param name="logger">Receives one line per generated document.</param>
    /// <param name="trims">
    /// Asked for a trim after each generated document: generating api/v1 allocates ~15 MiB that a quiet server would
    /// otherwise keep resident (too little for the idle trim's burst threshold); null when the host has no trim.
    /// </param>
    public OpenApiV3Catalog(IReadOnlyList<ResourceKind> kinds, string? descriptionsPath = null, ILogger<OpenApiV3Catalog>? logger = null,
        IMemoryTrimScheduler? trims = null)
    {
        _trims = trims;
        _kinds = kinds;
        _descriptionsPath = descriptionsPath;
        _logger = logger ?? NullLogger<OpenApiV3Catalog>.Instance;
        _index = new Lazy<Index>(BuildIndex, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The <c>/openapi/v3</c> body: <c>{"paths":{"api/v1":{"serverRelativeURL":…}}}</c>.</summary>
    public byte[] Root => _index.Value.Root;

    /// <summary><c>api/v1</c> for the core group, <c>apis/apps/v1</c> otherwise.</summary>
    public static string RelativePath(string group, string version) =>
        group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    /// <summary>Finds the document at <paramref name="relativePath"/> (<c>api/v1</c>, <c>apis/apps/v1</c>), generating it on first use.</summary>
    public bool TryGet(string relativePath, out byte[] body, out string hash)
    {
        if (_index.Value.Documents.TryGetValue(relativePath, out var entry))
        {
            (body, hash) = (entry.Body.Value, entry.Hash);
            return true;
        }
        (body, hash) = ([], "");
        return false;
    }

    private Index BuildIndex()
    {
        var fingerprint = Fingerprint();
        var documents = new Dictionary<string, (Lazy<byte[]> Body, string Hash)>(StringComparer.Ordinal);
        var root = new JsonObject();
        foreach (var gv in _kinds.GroupBy(k => (k.Group, k.Version)))
        {
            var kinds = gv.ToList();
            var key = RelativePath(gv.Key.Group, gv.Key.Version);
            var paths = JsonSerializer.SerializeToUtf8Bytes(OpenApiV3Document.Build(kinds));
            var hash = Convert.ToHexString(SHA512.HashData([.. paths, .. fingerprint]));
            documents[key] = (new Lazy<byte[]>(() => Generate(key, kinds), LazyThreadSafetyMode.ExecutionAndPublication), hash);
            root[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
        }
        return new Index(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paths"] = root }), documents);
    }

    /// <summary>
    /// The full document; should generating the schemas ever fail, the document without schemas, which still serves
    /// kubectl's field-validation check (create and apply must not depend on <c>kubectl explain</c>'s data).
    /// </summary>
    private byte[] Generate(string key, IReadOnlyList<ResourceKind> kinds)
    {
        var started = Stopwatch.GetTimestamp();
        JsonObject? schemas;
        try
        {
            schemas = ComponentSchemas.Build(kinds, _descriptionsPath);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogSchemasFailed(_logger, key, e);
            schemas = null;
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(OpenApiV3Document.Build(kinds, schemas));
        LogGenerated(_logger, key, schemas?.Count ?? 0, body.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _trims?.ScheduleTrim();
        return body;
    }

    /// <summary>What the schemas depend on besides the kinds: the generating code, the models and their documentation.</summary>
    private byte[] Fingerprint()
    {
        var descriptions = new FileInfo(_descriptionsPath ?? ModelDescriptions.DefaultPath);
        var text = string.Join('\n',
            typeof(OpenApiV3Catalog).Assembly.ManifestModule.ModuleVersionId,
            typeof(KindRegistry).Assembly.ManifestModule.ModuleVersionId,
            typeof(V1Pod).Assembly.ManifestModule.ModuleVersionId,
            descriptions.Exists ? descriptions.Length : -1);
        return Encoding.UTF8.GetBytes(text);
    }

    [LoggerMessage(EventId = 2460, EventName = "OpenApiDocumentGenerated", Level = LogLevel.Debug,
        Message = "OpenAPI v3 document {Path} generated: {Schemas} schemas, {Bytes} bytes in {Milliseconds:F0} ms")]
    private static partial void LogGenerated(ILogger logger, string path, int schemas, int bytes, double milliseconds);

    [LoggerMessage(EventId = 2461, EventName = "OpenApiSchemasFailed", Level = LogLevel.Error,
        Message = "OpenAPI v3 schemas of {Path} could not be generated; serving the document without schemas")]
    private static partial void LogSchemasFailed(ILogger logger, string path, Exception exception);

    private sealed record Index(byte[] Root, Dictionary<string, (Lazy<byte[]> Body, string Hash)> Documents);
}
