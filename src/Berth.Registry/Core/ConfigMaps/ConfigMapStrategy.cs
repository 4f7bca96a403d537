using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ConfigMaps;

/// <summary>
/// ConfigMaps: config-key syntax for data and binaryData (no key in both), 1 MiB total, and immutability once
/// <c>immutable: true</c>. Stateless and thread-safe. Mirrors kubernetes/kubernetes
/// pkg/apis/core/validation/config_maps.go (ValidateConfigMap, ValidateConfigMapUpdate).
/// </summary>
internal sealed class ConfigMapStrategy() : ResourceStrategy(KindRegistry.ConfigMaps)
{
    /// <summary>Upstream MaxSecretSize, shared by ConfigMaps and Secrets.</summary>
    public const int MaxSize = 1024 * 1024;

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var data = obj["data"] as JsonObject;
        var binary = obj["binaryData"] as JsonObject;
        long total = 0;
        foreach (var (key, value) in data ?? [])
        {
            DataKeys.Validate(key, "data", errs);
            if (binary?.ContainsKey(key) == true)
            {
                errs.Add(FieldError.Invalid(FieldPath.Key("data", key), key, "duplicate of key present in binaryData"));
            }
            total += System.Text.Encoding.UTF8.GetByteCount(JsonFields.AsString(value) ?? "");
        }
        foreach (var (key, value) in binary ?? [])
        {
            DataKeys.Validate(key, "binaryData", errs);
            if (data?.ContainsKey(key) == true)
            {
                errs.Add(FieldError.Invalid(FieldPath.Key("binaryData", key), key, "duplicate of key present in data"));
            }
            total += DataKeys.DecodedLength(JsonFields.AsString(value) ?? "");
        }
        if (total > MaxSize)
        {
            errs.Add(FieldError.TooLong("", MaxSize));
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        DataKeys.ValidateImmutable(newObj, oldObj, ["data", "binaryData"], errs);
        return errs;
    }
}
