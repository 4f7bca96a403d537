using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Container ports and int-or-string port references. Mirrors kubernetes/kubernetes pkg/apis/core/validation
/// (validateContainerPorts, ValidatePortNumOrName).
/// </summary>
internal static class PortValidation
{
    public static readonly string[] SupportedProtocols = ["SCTP", "TCP", "UDP"];

    public static void ValidatePortNumOrName(JsonNode? port, string path, List<FieldError> errs)
    {
        if (JsonFields.AsLong(port) is { } number)
        {
            foreach (var msg in QualifiedNameValidation.IsValidPortNum(number))
            {
                errs.Add(FieldError.Invalid(path, number, msg));
            }
            return;
        }
        var name = JsonFields.AsString(port) ?? "";
        foreach (var msg in QualifiedNameValidation.IsValidPortName(name))
        {
            errs.Add(FieldError.Invalid(path, name, msg));
        }
    }

    public static void ValidateContainerPorts(JsonArray? ports, string path, List<FieldError> errs)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, port) in JsonFields.Objects(ports))
        {
            var idx = FieldPath.Index(path, i);
            var name = JsonFields.AsString(port["name"]) ?? "";
            if (name.Length > 0)
            {
                var msgs = QualifiedNameValidation.IsValidPortName(name);
                foreach (var msg in msgs)
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(idx, "name"), name, msg));
                }
                if (msgs.Count == 0 && !names.Add(name))
                {
                    errs.Add(FieldError.Duplicate(FieldPath.Child(idx, "name"), name));
                }
            }
            ValidatePortNumber(port, "containerPort", idx, required: true, errs);
            ValidatePortNumber(port, "hostPort", idx, required: false, errs);
            ValidateProtocol(port["protocol"], FieldPath.Child(idx, "protocol"), errs);
        }
    }

    public static void ValidateProtocol(JsonNode? node, string path, List<FieldError> errs)
    {
        var protocol = JsonFields.AsString(node) ?? "";
        if (protocol.Length == 0)
        {
            errs.Add(FieldError.Required(path));
        }
        else if (!SupportedProtocols.Contains(protocol))
        {
            errs.Add(FieldError.NotSupported(path, protocol, SupportedProtocols));
        }
    }

    private static void ValidatePortNumber(JsonObject port, string field, string idx, bool required, List<FieldError> errs)
    {
        var value = JsonFields.AsLong(port[field]) ?? 0;
        if (value == 0)
        {
            if (required)
            {
                errs.Add(FieldError.Required(FieldPath.Child(idx, field)));
            }
            return;
        }
        foreach (var msg in QualifiedNameValidation.IsValidPortNum(value))
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(idx, field), value, msg));
        }
    }
}
