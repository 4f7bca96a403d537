using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// An IngressBackend (a Service name and port, or a typed resource reference) and the typed references IngressClass
/// parameters use. Pure. Mirrors kubernetes/kubernetes pkg/apis/networking/validation/validation.go
/// (validateIngressBackend, validateIngressTypedLocalObjectReference).
/// </summary>
internal static class IngressBackendValidation
{
    public static void Validate(JsonObject backend, string path, List<FieldError> errs)
    {
        var resource = backend["resource"] as JsonObject;
        var service = backend["service"] as JsonObject;
        if (resource is not null && service is not null)
        {
            errs.Add(FieldError.Invalid(path, "", "cannot set both resource and service backends"));
        }
        else if (resource is not null)
        {
            ValidateTypedReference(resource, FieldPath.Child(path, "resource"), errs);
        }
        else if (service is not null)
        {
            ValidateService(service, path, errs);
        }
        else
        {
            errs.Add(FieldError.Invalid(path, "", "resource or service backend is required"));
        }
    }

    /// <summary>apiGroup a DNS subdomain when set; kind and name required path segments.</summary>
    public static void ValidateTypedReference(JsonObject reference, string path, List<FieldError> errs)
    {
        if (JsonFields.AsString(reference["apiGroup"]) is { } group)
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(group))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "apiGroup"), group, msg));
            }
        }
        foreach (var field in (string[])["kind", "name"])
        {
            var value = JsonFields.AsString(reference[field]) ?? "";
            if (value.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(path, field), field + " is required"));
            }
            else if (PathSegmentError(value) is { } msg)
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, field), value, msg));
            }
        }
    }

    private static void ValidateService(JsonObject service, string path, List<FieldError> errs)
    {
        var name = JsonFields.AsString(service["name"]) ?? "";
        var namePath = FieldPath.Child(path, "service", "name");
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(namePath));
        }
        else
        {
            foreach (var msg in NameValidation.IsDns1035Label(name))
            {
                errs.Add(FieldError.Invalid(namePath, name, msg));
            }
        }
        var port = service["port"] as JsonObject ?? [];
        var portName = JsonFields.AsString(port["name"]) ?? "";
        var portNumber = JsonFields.AsLong(port["number"]) ?? 0;
        if (portName.Length > 0 && portNumber != 0)
        {
            errs.Add(FieldError.Invalid(path, "", "cannot set both port name & port number"));
        }
        else if (portName.Length > 0)
        {
            foreach (var msg in QualifiedNameValidation.IsValidPortName(portName))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "service", "port", "name"), portName, msg));
            }
        }
        else if (portNumber != 0)
        {
            foreach (var msg in QualifiedNameValidation.IsValidPortNum(portNumber))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "service", "port", "number"), portNumber, msg));
            }
        }
        else
        {
            errs.Add(FieldError.Required(path, "port name or number is required"));
        }
    }

    /// <summary>apimachinery's IsValidPathSegmentName: not <c>.</c> or <c>..</c>, no <c>/</c> or <c>%</c>.</summary>
    private static string? PathSegmentError(string name) => name switch
    {
        "." or ".." => $"may not be '{name}'",
        _ when name.Contains('/', StringComparison.Ordinal) => "may not contain '/'",
        _ when name.Contains('%', StringComparison.Ordinal) => "may not contain '%'",
        _ => null,
    };
}
