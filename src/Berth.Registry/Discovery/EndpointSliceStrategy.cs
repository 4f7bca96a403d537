using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.Pods;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Discovery;

/// <summary>
/// EndpointSlices: address type IPv4/IPv6/FQDN (immutable), at most 1000 endpoints of 1–100 addresses matching
/// the type, unique DNS-label port names with protocols (defaulted to TCP, names to ""). Loopback and other
/// special addresses are accepted, unlike upstream, because Berth gives pods 127.0.0.0/8 addresses.
/// Stateless and thread-safe. Mirrors kubernetes/kubernetes pkg/registry/discovery/endpointslice/strategy.go and
/// pkg/apis/discovery/validation (ValidateEndpointSlice).
/// </summary>
internal sealed class EndpointSliceStrategy() : ResourceStrategy(KindRegistry.EndpointSlices)
{
    public const int MaxEndpoints = 1000;
    public const int MaxAddresses = 100;
    private const string TooMany = "FieldValueTooMany";
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];

    public override void Default(JsonObject obj)
    {
        foreach (var (_, port) in JsonFields.Objects(obj["ports"] as JsonArray))
        {
            JsonFields.SetDefault(port, "name", "");
            JsonFields.SetDefault(port, "protocol", "TCP");
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var addressType = JsonFields.AsString(obj["addressType"]) ?? "";
        if (addressType.Length == 0)
        {
            errs.Add(FieldError.Required("addressType"));
        }
        else if (!AddressTypes.Contains(addressType))
        {
            errs.Add(FieldError.NotSupported("addressType", addressType, AddressTypes));
        }
        ValidateEndpoints(obj["endpoints"] as JsonArray, addressType, errs);
        ValidatePorts(obj["ports"] as JsonArray, errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        ImmutableField.Validate(newObj["addressType"], oldObj["addressType"], "addressType", errs);
        return errs;
    }

    private static void ValidateEndpoints(JsonArray? endpoints, string addressType, List<FieldError> errs)
    {
        if (endpoints?.Count > MaxEndpoints)
        {
            errs.Add(new FieldError(TooMany, "endpoints", $"must have at most {MaxEndpoints} items", endpoints.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return;
        }
        foreach (var (i, endpoint) in JsonFields.Objects(endpoints))
        {
            var addressPath = FieldPath.Child(FieldPath.Index("endpoints", i), "addresses");
            var addresses = endpoint["addresses"] as JsonArray ?? [];
            if (addresses.Count == 0)
            {
                errs.Add(FieldError.Required(addressPath, "must contain at least 1 address"));
            }
            else if (addresses.Count > MaxAddresses)
            {
                errs.Add(new FieldError(TooMany, addressPath, $"must have at most {MaxAddresses} items", addresses.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            for (var a = 0; a < addresses.Count; a++)
            {
                ValidateAddress(JsonFields.AsString(addresses[a]) ?? "", addressType, FieldPath.Index(addressPath, a), addressPath, errs);
            }
        }
    }

    private static void ValidateAddress(string address, string addressType, string path, string listPath, List<FieldError> errs)
    {
        switch (addressType)
        {
            case "IPv4" or "IPv6" when !IPAddress.TryParse(address, out _):
                errs.Add(FieldError.Invalid(path, address, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                break;
            case "IPv4" when IPAddress.Parse(address).AddressFamily != AddressFamily.InterNetwork:
                errs.Add(FieldError.Invalid(listPath, address, "must be an IPv4 address"));
                break;
            case "IPv6" when IPAddress.Parse(address).AddressFamily != AddressFamily.InterNetworkV6:
                errs.Add(FieldError.Invalid(listPath, address, "must be an IPv6 address"));
                break;
            case "FQDN":
                foreach (var msg in NameValidation.IsDns1123Subdomain(address))
                {
                    errs.Add(FieldError.Invalid(path, address, msg));
                }
                break;
        }
    }

    private static void ValidatePorts(JsonArray? ports, List<FieldError> errs)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, port) in JsonFields.Objects(ports))
        {
            var idx = FieldPath.Index("ports", i);
            var name = JsonFields.AsString(port["name"]) ?? "";
            if (name.Length > 0)
            {
                foreach (var msg in NameValidation.IsDns1123Label(name))
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(idx, "name"), name, msg));
                }
            }
            if (!names.Add(name))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "name"), name));
            }
            PortValidation.ValidateProtocol(port["protocol"], FieldPath.Child(idx, "protocol"), errs);
        }
    }
}
