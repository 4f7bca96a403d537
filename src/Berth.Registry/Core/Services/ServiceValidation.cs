using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Services;

/// <summary>
/// A Service spec: type, ports (required unless headless or ExternalName; named when several), selector,
/// session affinity, cluster IPs and traffic policies. Expects defaults applied. Mirrors kubernetes/kubernetes
/// pkg/apis/core/validation (ValidateService, validateServicePort, ValidateServiceUpdate).
/// </summary>
internal static class ServiceValidation
{
    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] Affinities = ["ClientIP", "None"];
    private static readonly string[] TrafficPolicies = ["Cluster", "Local"];
    private const long MaxAffinitySeconds = 86400;

    public static void Validate(JsonObject spec, List<FieldError> errs)
    {
        var type = JsonFields.AsString(spec["type"]) ?? "";
        var headless = JsonFields.AsString(spec["clusterIP"]) == "None";
        ValidateEnum(spec, "type", Types, errs);
        if (headless && type is "NodePort" or "LoadBalancer")
        {
            errs.Add(FieldError.Invalid("spec.clusterIPs[0]", "None", $"may not be set to 'None' for {type} services"));
        }
        if (type == "ExternalName")
        {
            ValidateNoClusterIPFields(spec, errs);
            var externalName = JsonFields.AsString(spec["externalName"]) ?? "";
            if (externalName.Length == 0)
            {
                errs.Add(FieldError.Required("spec.externalName"));
            }
            else
            {
                foreach (var msg in NameValidation.IsDns1123Subdomain(externalName.TrimEnd('.')))
                {
                    errs.Add(FieldError.Invalid("spec.externalName", externalName, msg));
                }
            }
        }
        var ports = spec["ports"] as JsonArray;
        if (ports is not { Count: > 0 } && !headless && type != "ExternalName")
        {
            errs.Add(FieldError.Required("spec.ports"));
        }
        ServicePortValidation.Validate(ports, type, errs);
        LabelValidation.ValidateLabels(spec["selector"] as JsonObject, "spec.selector", errs);
        ValidateEnum(spec, "sessionAffinity", Affinities, errs);
        ValidateAffinityTimeout(spec, errs);
        ValidateClusterIPs(spec, errs);
        ValidateExternalIPs(spec, errs);
        ValidateTrafficPolicies(spec, type, errs);
    }

    /// <summary>A cluster IP may not change once set, except when the type moves to or from ExternalName.</summary>
    public static void ValidateUpdate(JsonObject spec, JsonObject oldSpec, List<FieldError> errs)
    {
        if (JsonFields.AsString(spec["type"]) == "ExternalName" || JsonFields.AsString(oldSpec["type"]) == "ExternalName")
        {
            return;
        }
        var newIPs = Strings(spec["clusterIPs"] as JsonArray);
        var oldIPs = Strings(oldSpec["clusterIPs"] as JsonArray);
        for (var i = 0; i < oldIPs.Count && i < newIPs.Count; i++)
        {
            if (oldIPs[i] != newIPs[i])
            {
                errs.Add(new FieldError(CauseType.FieldValueInvalid, FieldPath.Index("spec.clusterIPs", i), "may not change once set",
                    GoValueRenderer.StringSlice(newIPs)));
            }
        }
    }

    /// <summary>
    /// An ExternalName Service has no cluster IPs (a lone <c>clusterIP</c> counts: upstream copies it into
    /// <c>clusterIPs</c> before validating), no IP families and no family policy.
    /// </summary>
    private static void ValidateNoClusterIPFields(JsonObject spec, List<FieldError> errs)
    {
        if (Strings(spec["clusterIPs"] as JsonArray).Count > 0 || !string.IsNullOrEmpty(JsonFields.AsString(spec["clusterIP"])))
        {
            errs.Add(FieldError.Forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
        }
        if (spec["ipFamilies"] is JsonArray { Count: > 0 })
        {
            errs.Add(FieldError.Forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
        }
        if (spec["ipFamilyPolicy"] is not null)
        {
            errs.Add(FieldError.Forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
        }
    }

    /// <summary>ClientIP affinity lasts 1 s to a day (<c>MaxClientIPServiceAffinitySeconds</c>).</summary>
    private static void ValidateAffinityTimeout(JsonObject spec, List<FieldError> errs)
    {
        if (JsonFields.AsString(spec["sessionAffinity"]) == "ClientIP" &&
            JsonFields.AsLong(spec.GetPath("sessionAffinityConfig", "clientIP", "timeoutSeconds")) is { } timeout &&
            timeout is <= 0 or > MaxAffinitySeconds)
        {
            errs.Add(FieldError.Invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
                $"must be greater than 0 and less than {MaxAffinitySeconds}"));
        }
    }

    private static void ValidateClusterIPs(JsonObject spec, List<FieldError> errs)
    {
        var ips = Strings(spec["clusterIPs"] as JsonArray);
        for (var i = 0; i < ips.Count; i++)
        {
            if (ips[i] != "None" && IPValidation.Parse(ips[i]) is null)
            {
                errs.Add(FieldError.Invalid(FieldPath.Index("spec.clusterIPs", i), ips[i], IPValidation.InvalidIPMessage));
            }
        }
        var clusterIP = JsonFields.AsString(spec["clusterIP"]) ?? "";
        if (clusterIP.Length > 0 && ips.Count > 0 && ips[0] != clusterIP)
        {
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "spec.clusterIPs", "first value must match `clusterIP`", GoValueRenderer.StringSlice(ips)));
        }
    }

    /// <summary>Each external IP is a valid, non-special address (loopback allowed: see <see cref="IPValidation.NonSpecial"/>).</summary>
    private static void ValidateExternalIPs(JsonObject spec, List<FieldError> errs)
    {
        var ips = Strings(spec["externalIPs"] as JsonArray);
        for (var i = 0; i < ips.Count; i++)
        {
            var path = FieldPath.Index("spec.externalIPs", i);
            if (IPValidation.Parse(ips[i]) is not { } ip)
            {
                errs.Add(FieldError.Invalid(path, ips[i], IPValidation.InvalidIPMessage));
                continue;
            }
            errs.AddRange(IPValidation.NonSpecial(ip, ips[i], path));
        }
    }

    private static void ValidateTrafficPolicies(JsonObject spec, string type, List<FieldError> errs)
    {
        var external = JsonFields.AsString(spec["externalTrafficPolicy"]) ?? "";
        if (external.Length > 0 && !ServiceDefaults.IsExternallyAccessible(spec))
        {
            errs.Add(FieldError.Invalid("spec.externalTrafficPolicy", external, "may only be set for externally-accessible services"));
        }
        else if (external.Length > 0 && !TrafficPolicies.Contains(external))
        {
            errs.Add(FieldError.NotSupported("spec.externalTrafficPolicy", external, TrafficPolicies));
        }
        var internalPolicy = JsonFields.AsString(spec["internalTrafficPolicy"]) ?? "";
        if (internalPolicy.Length == 0 && type is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            errs.Add(FieldError.Required("spec.internalTrafficPolicy"));
        }
        else if (internalPolicy.Length > 0 && !TrafficPolicies.Contains(internalPolicy))
        {
            errs.Add(FieldError.NotSupported("spec.internalTrafficPolicy", internalPolicy, TrafficPolicies));
        }
    }

    private static void ValidateEnum(JsonObject spec, string field, string[] supported, List<FieldError> errs)
    {
        var value = JsonFields.AsString(spec[field]) ?? "";
        if (value.Length == 0)
        {
            errs.Add(FieldError.Required("spec." + field));
        }
        else if (!supported.Contains(value))
        {
            errs.Add(FieldError.NotSupported("spec." + field, value, supported));
        }
    }

    private static List<string> Strings(JsonArray? array) =>
        (array ?? []).Select(n => JsonFields.AsString(n) ?? "").ToList();
}
