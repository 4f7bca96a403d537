using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// NetworkPolicies (networking.k8s.io/v1): generation tracking; <c>policyTypes</c> defaults to Ingress, plus Egress
/// when egress rules are given; a port's protocol defaults to TCP; spec validation as upstream. Berth stores policies
/// but enforces none, like a cluster whose network plugin does not implement them. Stateless, thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/networking/networkpolicy/strategy.go and
/// pkg/apis/networking/v1/defaults.go (SetDefaults_NetworkPolicy, SetDefaults_NetworkPolicyPort).
/// </summary>
internal sealed class NetworkPolicyStrategy() : ResourceStrategy(KindRegistry.NetworkPolicies)
{
    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        var spec = JsonFields.Child(obj, "spec");
        if (spec["policyTypes"] is not JsonArray { Count: > 0 })
        {
            var types = new JsonArray("Ingress");
            if (spec["egress"] is JsonArray { Count: > 0 })
            {
                types.Add("Egress");
            }
            spec["policyTypes"] = types;
        }
        foreach (var (direction, _) in NetworkPolicyValidation.Directions)
        {
            foreach (var (_, rule) in JsonFields.Objects(spec[direction] as JsonArray))
            {
                foreach (var (_, port) in JsonFields.Objects(rule["ports"] as JsonArray))
                {
                    JsonFields.SetDefault(port, "protocol", "TCP");
                }
            }
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        NetworkPolicyValidation.ValidateSpec(obj["spec"] as JsonObject ?? [], "spec", errs);
        return errs;
    }
}
