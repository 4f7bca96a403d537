using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Core.Pods;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Services;

/// <summary>
/// The ports of a Service spec: each port's name (required and unique when there are several), number, protocol,
/// target port and node port, then the pairs that must be unique across ports — (protocol, nodePort) and
/// (protocol, port). Expects defaults applied (protocols filled). Mirrors kubernetes/kubernetes
/// pkg/apis/core/validation (validateServicePort and the duplicate checks of ValidateService).
/// </summary>
internal static class ServicePortValidation
{
    public static void Validate(JsonArray? ports, string type, List<FieldError> errs)
    {
        var requireName = ports is { Count: > 1 };
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, port) in JsonFields.Objects(ports))
        {
            var idx = FieldPath.Index("spec.ports", i);
            ValidateName(JsonFields.AsString(port["name"]) ?? "", requireName, names, FieldPath.Child(idx, "name"), errs);
            var number = JsonFields.AsLong(port["port"]) ?? 0;
            foreach (var msg in QualifiedNameValidation.IsValidPortNum(number))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(idx, "port"), number, msg));
            }
            PortValidation.ValidateProtocol(port["protocol"], FieldPath.Child(idx, "protocol"), errs);
            PortValidation.ValidatePortNumOrName(port["targetPort"], FieldPath.Child(idx, "targetPort"), errs);
            if (type == "ClusterIP" && JsonFields.AsLong(port["nodePort"]) is { } np && np != 0)
            {
                errs.Add(FieldError.Forbidden(FieldPath.Child(idx, "nodePort"), "may not be used when `type` is 'ClusterIP'"));
            }
        }
        ValidateUniquePairs(ports, errs);
    }

    private static void ValidateName(string name, bool required, HashSet<string> names, string path, List<FieldError> errs)
    {
        if (required && name.Length == 0)
        {
            errs.Add(FieldError.Required(path));
            return;
        }
        if (name.Length == 0)
        {
            return;
        }
        foreach (var msg in NameValidation.IsDns1123Label(name))
        {
            errs.Add(FieldError.Invalid(path, name, msg));
        }
        if (!names.Add(name))
        {
            errs.Add(FieldError.Duplicate(path, name));
        }
    }

    /// <summary>
    /// A node port may serve one port per protocol (<c>spec.ports[i].nodePort: Duplicate value: N</c>), and a
    /// (protocol, port) pair may appear once; upstream renders the second as the Go dump of the key it compares.
    /// </summary>
    private static void ValidateUniquePairs(JsonArray? ports, List<FieldError> errs)
    {
        var nodePorts = new HashSet<(string, long)>();
        var servicePorts = new HashSet<(string, long)>();
        var duplicatePorts = new List<FieldError>();
        foreach (var (i, port) in JsonFields.Objects(ports))
        {
            var idx = FieldPath.Index("spec.ports", i);
            var protocol = JsonFields.AsString(port["protocol"]) ?? "";
            if (JsonFields.AsLong(port["nodePort"]) is { } nodePort && nodePort != 0 && !nodePorts.Add((protocol, nodePort)))
            {
                errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "nodePort"), nodePort));
            }
            var number = JsonFields.AsLong(port["port"]) ?? 0;
            if (!servicePorts.Add((protocol, number)))
            {
                duplicatePorts.Add(new FieldError(CauseType.FieldValueDuplicate, idx, "", GoServicePortKey(protocol, number)));
            }
        }
        errs.AddRange(duplicatePorts);
    }

    private static string GoServicePortKey(string protocol, long port) =>
        $"core.ServicePort{{Name:\"\", Protocol:{GoValueRenderer.Quote(protocol)}, AppProtocol:(*string)(nil), Port:{GoValueRenderer.Number(port)}, " +
        "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";
}
