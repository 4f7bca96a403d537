using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// IngressClasses (networking.k8s.io/v1): generation tracking; parameters.scope defaults to Cluster; the controller
/// is a domain-prefixed path of at most 250 characters and immutable; parameters are a typed reference with a scope
/// (a namespace exactly when the scope is Namespace). Stateless, thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/networking/ingressclass/strategy.go and pkg/apis/networking/validation (ValidateIngressClass,
/// ValidateIngressClassUpdate).
/// </summary>
internal sealed partial class IngressClassStrategy() : ResourceStrategy(KindRegistry.IngressClasses)
{
    /// <summary>The annotation that marks the class new Ingresses without one get.</summary>
    public const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    private const int MaxControllerLength = 250;
    private const string HttpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    private static readonly string[] Scopes = ["Cluster", "Namespace"];

    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        if (obj["spec"] is JsonObject { } spec && spec["parameters"] is JsonObject parameters)
        {
            JsonFields.SetDefault(parameters, "scope", "Cluster");
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var spec = obj["spec"] as JsonObject ?? [];
        ValidateController(JsonFields.AsString(spec["controller"]) ?? "", "spec.controller", errs);
        if (spec["parameters"] is JsonObject parameters)
        {
            ValidateParameters(parameters, "spec.parameters", errs);
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        ImmutableField.Validate(newObj["spec"]?["controller"], oldObj["spec"]?["controller"], "spec.controller", errs);
        return errs;
    }

    /// <summary>apimachinery's IsDomainPrefixedPath after the length check.</summary>
    private static void ValidateController(string controller, string path, List<FieldError> errs)
    {
        if (controller.Length > MaxControllerLength)
        {
            errs.Add(FieldError.TooLong(path, MaxControllerLength));
        }
        if (controller.Length == 0)
        {
            errs.Add(FieldError.Required(path));
            return;
        }
        var segments = controller.Split('/', 2);
        if (segments.Length != 2 || segments[0].Length == 0 || segments[1].Length == 0)
        {
            errs.Add(FieldError.Invalid(path, controller, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
            return;
        }
        foreach (var msg in NameValidation.IsDns1123Subdomain(segments[0]))
        {
            errs.Add(FieldError.Invalid(path, segments[0], msg));
        }
        if (!HttpPath().IsMatch(segments[1]))
        {
            errs.Add(FieldError.Invalid(path, segments[1], ValidationMessages.RegexError("must be a valid path", HttpPathFmt)));
        }
    }

    private static void ValidateParameters(JsonObject parameters, string path, List<FieldError> errs)
    {
        IngressBackendValidation.ValidateTypedReference(parameters, path, errs);
        if (JsonFields.AsString(parameters["scope"]) is not { } scope)
        {
            errs.Add(FieldError.Required(FieldPath.Child(path, "scope")));
            return;
        }
        var ns = JsonFields.AsString(parameters["namespace"]);
        switch (scope)
        {
            case "Namespace" when ns is null:
                errs.Add(FieldError.Required(FieldPath.Child(path, "namespace"), "`parameters.scope` is set to 'Namespace'"));
                break;
            case "Namespace":
                foreach (var msg in NameValidation.IsDns1123Label(ns))
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(path, "namespace"), ns, msg));
                }
                break;
            case "Cluster" when ns is not null:
                errs.Add(FieldError.Forbidden(FieldPath.Child(path, "namespace"), "`parameters.scope` is set to 'Cluster'"));
                break;
            case "Cluster":
                break;
            default:
                errs.Add(FieldError.NotSupported(FieldPath.Child(path, "scope"), scope, Scopes));
                break;
        }
    }

    [GeneratedRegex("^" + HttpPathFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HttpPath();
}
