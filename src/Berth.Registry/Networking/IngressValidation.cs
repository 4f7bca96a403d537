using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// IngressSpec validation with upstream's field paths and messages: a default backend or rules; rule hosts (DNS
/// names, wildcards allowed, no IPs); HTTP paths with a required pathType (Exact and Prefix need an absolute path
/// without <c>//</c>, <c>/./</c>, <c>/../</c>, <c>%2f</c> or a trailing <c>/.</c>/<c>/..</c>); backends; TLS hosts and
/// secret names; the ingress class name. Pure. Mirrors kubernetes/kubernetes pkg/apis/networking/validation/validation.go
/// (ValidateIngressSpec, validateIngressRules, validateHTTPIngressPath, validateIngressTLS).
/// </summary>
internal static class IngressValidation
{
    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidSuffixes = ["/..", "/."];

    public static void ValidateSpec(JsonObject spec, string path, List<FieldError> errs)
    {
        var rules = spec["rules"] as JsonArray;
        if (rules is not { Count: > 0 } && spec["defaultBackend"] is null)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "either `defaultBackend` or `rules` must be specified",
                rules is null ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}"));
        }
        if (spec["defaultBackend"] is JsonObject backend)
        {
            IngressBackendValidation.Validate(backend, FieldPath.Child(path, "defaultBackend"), errs);
        }
        foreach (var (i, rule) in JsonFields.Objects(rules))
        {
            ValidateRule(rule, FieldPath.Index(FieldPath.Child(path, "rules"), i), errs);
        }
        foreach (var (i, tls) in JsonFields.Objects(spec["tls"] as JsonArray))
        {
            ValidateTls(tls, FieldPath.Index(FieldPath.Child(path, "tls"), i), errs);
        }
        if (JsonFields.AsString(spec["ingressClassName"]) is { } className)
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(className))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "ingressClassName"), className, msg));
            }
        }
    }

    private static void ValidateRule(JsonObject rule, string path, List<FieldError> errs)
    {
        if (JsonFields.AsString(rule["host"]) is { Length: > 0 } host)
        {
            if (IPAddress.TryParse(host, out _) && !host.Contains('*', StringComparison.Ordinal))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "host"), host, "must be a DNS name, not an IP address"));
            }
            foreach (var msg in HostValidation.Validate(host))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "host"), host, msg));
            }
        }
        if (rule["http"] is not JsonObject http)
        {
            return;
        }
        var httpPath = FieldPath.Child(path, "http");
        var paths = http["paths"] as JsonArray;
        if (paths is not { Count: > 0 })
        {
            errs.Add(FieldError.Required(FieldPath.Child(httpPath, "paths")));
        }
        foreach (var (i, p) in JsonFields.Objects(paths))
        {
            ValidatePath(p, FieldPath.Index(FieldPath.Child(httpPath, "paths"), i), errs);
        }
    }

    private static void ValidatePath(JsonObject p, string path, List<FieldError> errs)
    {
        if (JsonFields.AsString(p["pathType"]) is not { } pathType)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "pathType"), "pathType must be specified"));
            return;
        }
        var value = JsonFields.AsString(p["path"]) ?? "";
        var valuePath = FieldPath.Child(path, "path");
        switch (pathType)
        {
            case "Exact" or "Prefix":
                if (!value.StartsWith('/'))
                {
                    errs.Add(FieldError.Invalid(valuePath, value, "must be an absolute path"));
                }
                errs.AddRange(InvalidSequences.Where(s => value.Contains(s, StringComparison.Ordinal))
                    .Select(s => FieldError.Invalid(valuePath, value, $"must not contain '{s}'")));
                errs.AddRange(InvalidSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal))
                    .Select(s => FieldError.Invalid(valuePath, value, $"cannot end with '{s}'")));
                break;
            case "ImplementationSpecific":
                if (value.Length > 0 && !value.StartsWith('/'))
                {
                    errs.Add(FieldError.Invalid(valuePath, value, "must be an absolute path"));
                }
                break;
            default:
                errs.Add(FieldError.NotSupported(FieldPath.Child(path, "pathType"), pathType, PathTypes));
                break;
        }
        IngressBackendValidation.Validate(p["backend"] as JsonObject ?? [], FieldPath.Child(path, "backend"), errs);
    }

    private static void ValidateTls(JsonObject tls, string path, List<FieldError> errs)
    {
        var hosts = tls["hosts"] as JsonArray ?? [];
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = JsonFields.AsString(hosts[i]) ?? "";
            foreach (var msg in HostValidation.Validate(host))
            {
                errs.Add(FieldError.Invalid(FieldPath.Index(FieldPath.Child(path, "hosts"), i), host, msg));
            }
        }
        if (JsonFields.AsString(tls["secretName"]) is { Length: > 0 } secret)
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(secret))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "secretName"), secret, msg));
            }
        }
    }
}
