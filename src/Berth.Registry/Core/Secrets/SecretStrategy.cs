using System.Text;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Core.ConfigMaps;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Secrets;

/// <summary>
/// Secrets: <c>stringData</c> folded into base64 <c>data</c> (it is write-only), type Opaque by default, key
/// syntax, 1 MiB, the keys each well-known type requires, an immutable type, and the <c>type</c> field selector.
/// Stateless and thread-safe. Mirrors kubernetes/kubernetes pkg/registry/core/secret/strategy.go,
/// pkg/apis/core/v1/conversion.go (stringData) and pkg/apis/core/validation/secrets.go (ValidateSecret).
/// </summary>
internal sealed class SecretStrategy() : ResourceStrategy(KindRegistry.Secrets)
{
    /// <summary>Keys that must be present in <c>data</c>, per type.</summary>
    private static readonly Dictionary<string, string[]> RequiredKeys = new()
    {
        ["kubernetes.io/dockercfg"] = [".dockercfg"],
        ["kubernetes.io/dockerconfigjson"] = [".dockerconfigjson"],
        ["kubernetes.io/ssh-auth"] = ["ssh-privatekey"],
        ["kubernetes.io/tls"] = ["tls.crt", "tls.key"],
    };

    public override void Default(JsonObject obj)
    {
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = JsonFields.Child(obj, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonFields.AsString(value) ?? ""));
            }
            obj.Remove("stringData");
        }
        JsonFields.SetDefaultString(obj, "type", "Opaque");
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var data = obj["data"] as JsonObject ?? [];
        long total = 0;
        foreach (var (key, value) in data)
        {
            DataKeys.Validate(key, "data", errs);
            var text = JsonFields.AsString(value) ?? "";
            if (!IsBase64(text))
            {
                errs.Add(FieldError.Invalid(FieldPath.Key("data", key), "", "must be base64-encoded"));
            }
            total += DataKeys.DecodedLength(text);
        }
        if (total > ConfigMapStrategy.MaxSize)
        {
            errs.Add(FieldError.TooLong("data", ConfigMapStrategy.MaxSize));
        }
        ValidateTypeKeys(obj, data, errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        ImmutableField.Validate(newObj["type"], oldObj["type"], "type", errs);
        DataKeys.ValidateImmutable(newObj, oldObj, ["data"], errs);
        return errs;
    }

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "type" => obj.GetString("type") ?? "",
        _ => base.GetSelectableField(obj, field),
    };

    private static void ValidateTypeKeys(JsonObject obj, JsonObject data, List<FieldError> errs)
    {
        var type = obj.GetString("type") ?? "";
        if (type == "kubernetes.io/service-account-token" &&
            string.IsNullOrEmpty(obj.GetString("metadata", "annotations", "kubernetes.io/service-account.name")))
        {
            errs.Add(FieldError.Required(FieldPath.Key("metadata.annotations", "kubernetes.io/service-account.name")));
        }
        if (type == "kubernetes.io/basic-auth" && !data.ContainsKey("username") && !data.ContainsKey("password"))
        {
            errs.Add(FieldError.Required(FieldPath.Key("data", "username")));
            errs.Add(FieldError.Required(FieldPath.Key("data", "password")));
        }
        foreach (var key in RequiredKeys.GetValueOrDefault(type) ?? [])
        {
            if (!data.ContainsKey(key))
            {
                errs.Add(FieldError.Required(FieldPath.Key("data", key)));
            }
        }
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length / 4 * 3) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
