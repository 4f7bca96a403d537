using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

/// <summary>
/// The metadata rules every kind shares on create and update: namespace matching, system fields (uid,
/// creationTimestamp), generateName, the type stamp and the common ObjectMeta checks.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/rest/{create.go,update.go,meta.go}
/// (BeforeCreate, BeforeUpdate, FillObjectMetaSystemFields, EnsureObjectNamespaceMatchesRequestNamespace) and
/// storage/names/generate.go (SimpleNameGenerator).
/// </summary>
/// <remarks>Mutating members change the object they are given; thread-safe otherwise.</remarks>
internal static class ObjectMetaRules
{
    /// <summary>Upstream's alphabet for generated suffixes: no vowels, so no accidental words.</summary>
    private const string Alphanums = "bcdfghjklmnpqrstvwxz2456789";
    private const int RandomLength = 5;
    private const int MaxGeneratedNameLength = 63 - RandomLength;

    /// <summary>
    /// Fills an empty body namespace from the request, clears it for cluster-scoped kinds, and rejects a mismatch (400).
    /// </summary>
    public static void EnsureNamespaceMatches(ResourceKind kind, JsonObject obj, string? requestNamespace)
    {
        var expected = kind.Namespaced ? requestNamespace ?? "" : "";
        var actual = obj.GetNamespace() ?? "";
        if (actual == expected)
        {
            return;
        }
        if (actual.Length == 0)
        {
            obj.Metadata()["namespace"] = expected;
        }
        else if (expected.Length == 0)
        {
            obj.Metadata().Remove("namespace");
        }
        else
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /// <summary>
    /// Checks <c>apiVersion</c>/<c>kind</c> in the body (400 on a mismatch) and writes them first in the object.
    /// </summary>
    public static void StampTypeMeta(ResourceKind kind, JsonObject obj)
    {
        if (obj["apiVersion"] is JsonValue av && av.TryGetValue<string>(out var apiVersion) && apiVersion.Length > 0 &&
            apiVersion != kind.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion})");
        }
        if (obj["kind"] is JsonValue k && k.TryGetValue<string>(out var kindName) && kindName.Length > 0 && kindName != kind.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kindName}) does not match the expected kind ({kind.Kind})");
        }
        obj.Remove("apiVersion");
        obj.Remove("kind");
        obj.Insert(0, "apiVersion", kind.ApiVersion);
        obj.Insert(1, "kind", kind.Kind);
    }

    /// <summary>Sets the fields only the server may set on create; clears deletion fields and resourceVersion.</summary>
    public static void FillSystemFieldsForCreate(JsonObject obj, DateTimeOffset now)
    {
        var meta = obj.Metadata();
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta["creationTimestamp"] = MetaTime.ToJson(now);
        meta["uid"] = Guid.NewGuid().ToString();
    }

    /// <summary>Picks a name from <c>metadata.generateName</c> when <c>metadata.name</c> is empty; returns whether it did.</summary>
    public static bool ApplyGenerateName(JsonObject obj)
    {
        var meta = obj.Metadata();
        var generateName = obj.GetString("metadata", "generateName");
        if (!string.IsNullOrEmpty(obj.GetName()) || string.IsNullOrEmpty(generateName))
        {
            return false;
        }
        meta["name"] = GenerateName(generateName);
        return true;
    }

    /// <summary>SimpleNameGenerator: the base (cut to 58 characters) plus 5 random characters.</summary>
    public static string GenerateName(string baseName)
    {
        if (baseName.Length > MaxGeneratedNameLength)
        {
            baseName = baseName[..MaxGeneratedNameLength];
        }
        return string.Create(baseName.Length + RandomLength, baseName, static (span, b) =>
        {
            b.AsSpan().CopyTo(span);
            for (var i = b.Length; i < span.Length; i++)
            {
                span[i] = Alphanums[RandomNumberGenerator.GetInt32(Alphanums.Length)];
            }
        });
    }

    /// <summary>The ObjectMeta checks every kind gets on create (upstream ValidateObjectMetaAccessor, the generic part).</summary>
    public static IReadOnlyList<FieldError> ValidateCommon(ResourceKind kind, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var name = obj.GetName();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var message in PathSegmentNameErrors(name))
            {
                errors.Add(FieldError.Invalid("metadata.name", name, message));
            }
        }
        if (kind.Namespaced && string.IsNullOrEmpty(obj.GetNamespace()))
        {
            errors.Add(FieldError.Required("metadata.namespace"));
        }
        return errors;
    }

    /// <summary>path.ValidatePathSegmentName: names end up in URLs.</summary>
    private static IEnumerable<string> PathSegmentNameErrors(string name)
    {
        if (name is "." or "..")
        {
            yield return $"may not be '{name}'";
        }
        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                yield return $"may not contain '{illegal}'";
            }
        }
    }
}
