using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// NetworkPolicySpec validation with upstream's field paths and messages: the pod selector, each rule's ports
/// (protocol, port number or name, endPort) and peers (exactly one of pod/namespace selector or an ipBlock whose
/// excepts are strict subsets of its CIDR), and the policy types. Pure. Mirrors kubernetes/kubernetes
/// pkg/apis/networking/validation/validation.go (ValidateNetworkPolicySpec, ValidateNetworkPolicyPort,
/// ValidateNetworkPolicyPeer, ValidateIPBlock).
/// </summary>
internal static class NetworkPolicyValidation
{
    /// <summary>The rule lists and the name of their peer list.</summary>
    public static readonly (string Rules, string Peers)[] Directions = [("ingress", "from"), ("egress", "to")];

    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] PolicyTypes = ["Ingress", "Egress"];
    private const string CidrMessage = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    public static void ValidateSpec(JsonObject spec, string path, List<FieldError> errs)
    {
        LabelSelectors.Validate(spec["podSelector"] as JsonObject, FieldPath.Child(path, "podSelector"), errs);
        foreach (var (rules, peers) in Directions)
        {
            foreach (var (i, rule) in JsonFields.Objects(spec[rules] as JsonArray))
            {
                var rulePath = FieldPath.Index(FieldPath.Child(path, rules), i);
                foreach (var (j, port) in JsonFields.Objects(rule["ports"] as JsonArray))
                {
                    ValidatePort(port, FieldPath.Index(FieldPath.Child(rulePath, "ports"), j), errs);
                }
                foreach (var (j, peer) in JsonFields.Objects(rule[peers] as JsonArray))
                {
                    ValidatePeer(peer, FieldPath.Index(FieldPath.Child(rulePath, peers), j), errs);
                }
            }
        }
        ValidatePolicyTypes(spec["policyTypes"] as JsonArray, FieldPath.Child(path, "policyTypes"), errs);
    }

    private static void ValidatePolicyTypes(JsonArray? types, string path, List<FieldError> errs)
    {
        if (types is null)
        {
            return;
        }
        if (types.Count > PolicyTypes.Length)
        {
            var items = types.Select(t => GoValueRenderer.Quote(JsonFields.AsString(t) ?? ""));
            errs.Add(new FieldError(CauseType.FieldValueInvalid, path, "may not specify more than two policyTypes",
                "[]networking.PolicyType{" + string.Join(", ", items) + "}"));
            return;
        }
        for (var i = 0; i < types.Count; i++)
        {
            var type = JsonFields.AsString(types[i]) ?? "";
            if (!PolicyTypes.Contains(type))
            {
                errs.Add(FieldError.NotSupported(FieldPath.Index(path, i), type, PolicyTypes));
            }
        }
    }

    private static void ValidatePort(JsonObject port, string path, List<FieldError> errs)
    {
        if (JsonFields.AsString(port["protocol"]) is { } protocol && !Protocols.Contains(protocol))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "protocol"), protocol, Protocols));
        }
        var endPort = JsonFields.AsLong(port["endPort"]);
        var endPath = FieldPath.Child(path, "endPort");
        switch (JsonFields.AsIntOrString(port["port"]))
        {
            case long number:
                foreach (var msg in QualifiedNameValidation.IsValidPortNum(number))
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(path, "port"), number, msg));
                }
                if (endPort is { } end)
                {
                    if (end < number)
                    {
                        errs.Add(FieldError.Invalid(endPath, number, "must be greater than or equal to `port`"));
                    }
                    foreach (var msg in QualifiedNameValidation.IsValidPortNum(end))
                    {
                        errs.Add(FieldError.Invalid(endPath, end, msg));
                    }
                }
                break;
            case string name:
                if (endPort is { } e)
                {
                    errs.Add(FieldError.Invalid(endPath, e, "may not be specified when `port` is non-numeric"));
                }
                foreach (var msg in QualifiedNameValidation.IsValidPortName(name))
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(path, "port"), name, msg));
                }
                break;
            default:
                if (endPort is { } unexpected)
                {
                    errs.Add(FieldError.Invalid(endPath, unexpected, "may not be specified when `port` is not specified"));
                }
                break;
        }
    }

    private static void ValidatePeer(JsonObject peer, string path, List<FieldError> errs)
    {
        var count = 0;
        foreach (var selector in (string[])["podSelector", "namespaceSelector"])
        {
            if (peer[selector] is JsonObject s)
            {
                count++;
                LabelSelectors.Validate(s, FieldPath.Child(path, selector), errs);
            }
        }
        var ipBlock = peer["ipBlock"] as JsonObject;
        if (ipBlock is not null)
        {
            count++;
            ValidateIPBlock(ipBlock, FieldPath.Child(path, "ipBlock"), errs);
        }
        if (count == 0)
        {
            errs.Add(FieldError.Required(path, "must specify a peer"));
        }
        else if (count > 1 && ipBlock is not null)
        {
            errs.Add(FieldError.Forbidden(path, "may not specify both ipBlock and another peer"));
        }
    }

    private static void ValidateIPBlock(JsonObject block, string path, List<FieldError> errs)
    {
        var cidrText = JsonFields.AsString(block["cidr"]) ?? "";
        if (cidrText.Length == 0)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "cidr")));
            return;
        }
        if (ParseCidr(cidrText) is not { } cidr)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "cidr"), cidrText, CidrMessage));
            return;
        }
        var excepts = block["except"] as JsonArray ?? [];
        for (var i = 0; i < excepts.Count; i++)
        {
            var exceptPath = FieldPath.Index(FieldPath.Child(path, "except"), i);
            var text = JsonFields.AsString(excepts[i]) ?? "";
            if (ParseCidr(text) is not { } except)
            {
                errs.Add(FieldError.Invalid(exceptPath, text, CidrMessage));
                continue;
            }
            if (!cidr.Contains(except.BaseAddress) || cidr.PrefixLength >= except.PrefixLength)
            {
                errs.Add(FieldError.Invalid(exceptPath, text, "must be a strict subset of `cidr`"));
            }
        }
    }

    /// <summary>A CIDR as Go's ParseCIDR reads it (the network of the given address), or null.</summary>
    private static IPNetwork? ParseCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var ip) || !int.TryParse(text[(slash + 1)..], out var bits))
        {
            return null;
        }
        var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (bits < 0 || bits > max || text[(slash + 1)..].StartsWith('+'))
        {
            return null;
        }
        var bytes = ip.GetAddressBytes();
        for (var b = 0; b < bytes.Length; b++)
        {
            var keep = Math.Clamp(bits - (b * 8), 0, 8);
            bytes[b] &= (byte)(0xFF << (8 - keep));
        }
        return new IPNetwork(new IPAddress(bytes), bits);
    }
}
