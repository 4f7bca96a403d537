using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Probes and lifecycle handlers: exactly one action each, valid ports and schemes, non-negative timings, and a
/// preStop sleep that fits in the grace period. Mirrors kubernetes/kubernetes pkg/apis/core/validation
/// (validateProbe, validateHandler, validateLifecycle, validateSleepAction, validateHTTPGetAction).
/// </summary>
internal static class HandlerValidation
{
    private static readonly string[] ProbeActions = ["exec", "httpGet", "tcpSocket", "grpc"];
    private static readonly string[] LifecycleActions = ["exec", "httpGet", "tcpSocket", "sleep"];
    private static readonly string[] ProbeTimings =
        ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"];

    public static void ValidateProbe(JsonObject? probe, string path, List<FieldError> errs)
    {
        if (probe is null)
        {
            return;
        }
        ValidateHandler(probe, ProbeActions, null, path, errs);
        foreach (var timing in ProbeTimings)
        {
            if (JsonFields.AsLong(probe[timing]) is < 0 and var v)
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, timing), v, ValidationMessages.IsNegativeError));
            }
        }
        if (JsonFields.AsLong(probe["terminationGracePeriodSeconds"]) is <= 0 and var grace)
        {
            errs.Add(FieldError.Invalid(FieldPath.Child(path, "terminationGracePeriodSeconds"), grace, "must be greater than 0"));
        }
    }

    public static void ValidateLifecycle(JsonObject? lifecycle, long? gracePeriod, string path, List<FieldError> errs)
    {
        if (lifecycle is null)
        {
            return;
        }
        foreach (var hook in (string[])["postStart", "preStop"])
        {
            if (lifecycle[hook] is JsonObject handler)
            {
                ValidateHandler(handler, LifecycleActions, gracePeriod, FieldPath.Child(path, hook), errs);
            }
        }
    }

    private static void ValidateHandler(JsonObject handler, string[] actions, long? gracePeriod, string path, List<FieldError> errs)
    {
        var count = 0;
        foreach (var action in actions)
        {
            if (handler[action] is not JsonObject body)
            {
                continue;
            }
            var actionPath = FieldPath.Child(path, action);
            if (count > 0)
            {
                errs.Add(FieldError.Forbidden(actionPath, "may not specify more than 1 handler type"));
                continue;
            }
            count++;
            ValidateAction(action, body, gracePeriod, actionPath, errs);
        }
        if (count == 0)
        {
            errs.Add(FieldError.Required(path, "must specify a handler type"));
        }
    }

    private static void ValidateAction(string action, JsonObject body, long? gracePeriod, string path, List<FieldError> errs)
    {
        switch (action)
        {
            case "exec" when body["command"] is not JsonArray { Count: > 0 }:
                errs.Add(FieldError.Required(FieldPath.Child(path, "command")));
                break;
            case "httpGet":
                ValidateHttpGet(body, path, errs);
                break;
            case "tcpSocket":
                PortValidation.ValidatePortNumOrName(body["port"], FieldPath.Child(path, "port"), errs);
                break;
            case "grpc":
                var port = JsonFields.AsLong(body["port"]) ?? 0;
                foreach (var msg in QualifiedNameValidation.IsValidPortNum(port))
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(path, "port"), port, msg));
                }
                break;
            case "sleep":
                ValidateSleep(body, gracePeriod, path, errs);
                break;
        }
    }

    private static void ValidateHttpGet(JsonObject httpGet, string path, List<FieldError> errs)
    {
        if (string.IsNullOrEmpty(JsonFields.AsString(httpGet["path"])))
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "path")));
        }
        PortValidation.ValidatePortNumOrName(httpGet["port"], FieldPath.Child(path, "port"), errs);
        var scheme = JsonFields.AsString(httpGet["scheme"]) ?? "";
        if (scheme is not ("HTTP" or "HTTPS"))
        {
            errs.Add(FieldError.NotSupported(FieldPath.Child(path, "scheme"), scheme, ["HTTP", "HTTPS"]));
        }
    }

    /// <summary>
    /// 0 ≤ seconds ≤ terminationGracePeriodSeconds (zero allowed: PodLifecycleSleepActionAllowZero, on since 1.33,
    /// GA 1.34). The error is reported on the <c>sleep</c> path itself, as upstream does.
    /// </summary>
    private static void ValidateSleep(JsonObject sleep, long? gracePeriod, string path, List<FieldError> errs)
    {
        var seconds = JsonFields.AsLong(sleep["seconds"]) ?? 0;
        if (gracePeriod is { } grace && (seconds < 0 || seconds > grace))
        {
            errs.Add(FieldError.Invalid(path, seconds,
                $"must be non-negative and less than terminationGracePeriodSeconds ({grace})"));
        }
    }
}
