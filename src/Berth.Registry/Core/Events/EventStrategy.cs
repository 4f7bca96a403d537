using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Events;

/// <summary>
/// core/v1 Events: the involved object's namespace must match the event's, new-style events (with eventTime)
/// need reporting controller, instance, action and reason; and the event field selectors kubectl uses
/// (<c>involvedObject.name</c>, <c>type</c>…). Stateless and thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/core/event/strategy.go and pkg/apis/core/validation/events.go (legacyValidateEvent).
/// </summary>
internal sealed class EventStrategy() : ResourceStrategy(KindRegistry.Events)
{
    private const int LengthLimit = 128;
    private const int NoteLengthLimit = 1024;

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var ns = obj.GetNamespace() ?? "";
        var involvedNs = obj.GetString("involvedObject", "namespace") ?? "";
        var newStyle = !string.IsNullOrEmpty(JsonFields.AsString(obj["eventTime"]));
        var mismatch = newStyle
            ? involvedNs.Length == 0 && ns is not ("default" or "kube-system")
            : involvedNs.Length == 0 ? ns is not ("" or "default") : ns != involvedNs;
        if (mismatch)
        {
            errs.Add(FieldError.Invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
        }
        if (newStyle)
        {
            ValidateNewStyle(obj, errs);
        }
        return errs;
    }

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "involvedObject.kind" or "involvedObject.namespace" or "involvedObject.name" or "involvedObject.uid"
            or "involvedObject.apiVersion" or "involvedObject.resourceVersion" or "involvedObject.fieldPath"
            or "reason" or "type" => obj.GetString(field.Split('.')) ?? "",
        "reportingComponent" => obj.GetString("reportingComponent") ?? "",
        "source" => obj.GetString("source", "component") ?? "",
        _ => base.GetSelectableField(obj, field),
    };

    private static void ValidateNewStyle(JsonObject obj, List<FieldError> errs)
    {
        var controller = obj.GetString("reportingComponent") ?? "";
        if (controller.Length == 0)
        {
            errs.Add(FieldError.Required("reportingController"));
        }
        else
        {
            foreach (var msg in QualifiedNameValidation.IsQualifiedName(controller))
            {
                errs.Add(FieldError.Invalid("reportingController", controller, msg));
            }
        }
        foreach (var (json, path) in (ReadOnlySpan<(string, string)>)[("reportingInstance", "reportingInstance"), ("action", "action"), ("reason", "reason")])
        {
            var value = obj.GetString(json) ?? "";
            if (value.Length == 0)
            {
                errs.Add(FieldError.Required(path));
            }
            else if (value.Length > LengthLimit)
            {
                errs.Add(FieldError.Invalid(path, "", $"can have at most {LengthLimit} characters"));
            }
        }
        if ((obj.GetString("message") ?? "").Length > NoteLengthLimit)
        {
            errs.Add(FieldError.Invalid("message", "", $"can have at most {NoteLengthLimit} characters"));
        }
    }
}
