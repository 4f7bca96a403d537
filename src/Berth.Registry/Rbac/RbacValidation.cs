using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Validation;

namespace Berth.Registry.Rbac;

/// <summary>
/// Field rules shared by the four RBAC kinds: names that are valid path segments, policy rules, role references and
/// subjects. Field paths and messages are upstream's. Stateless.
/// Mirrors kubernetes/kubernetes pkg/apis/rbac/validation/validation.go (ValidateRBACName, ValidatePolicyRule,
/// ValidateRoleBinding, ValidateRoleBindingSubject) and pkg/apis/rbac/v1/defaults.go.
/// </summary>
internal static class RbacValidation
{
    private static readonly string[] RbacGroupOnly = [KindRegistry.RbacGroup];
    private static readonly string[] CoreGroupOnly = [""];
    private static readonly string[] SubjectKinds = ["ServiceAccount", "User", "Group"];

    /// <summary>Role and binding names: any path segment (upstream path.IsValidPathSegmentName), not a DNS name.</summary>
    public static IReadOnlyList<string> PathSegmentName(string name, bool prefix)
    {
        var errs = new List<string>();
        if (!prefix && name is "." or "..")
        {
            errs.Add($"may not be '{name}'");
        }
        if (name.Contains('/'))
        {
            errs.Add("may not contain '/'");
        }
        if (name.Contains('%'))
        {
            errs.Add("may not contain '%'");
        }
        return errs;
    }

    /// <summary>Every rule of <c>rules</c>; namespaced roles may not name non-resource URLs.</summary>
    public static void ValidateRules(JsonObject obj, bool namespaced, List<FieldError> errs)
    {
        foreach (var (i, rule) in JsonFields.Objects(obj["rules"] as JsonArray))
        {
            ValidatePolicyRule(rule, namespaced, $"rules[{i}]", errs);
        }
    }

    public static void ValidatePolicyRule(JsonObject rule, bool namespaced, string path, List<FieldError> errs)
    {
        if (Count(rule, "verbs") == 0)
        {
            errs.Add(FieldError.Required(path + ".verbs", "verbs must contain at least one value"));
        }
        if (Count(rule, "nonResourceURLs") > 0)
        {
            var urls = GoValueRenderer.StringSlice(Strings(rule["nonResourceURLs"]));
            if (namespaced)
            {
                errs.Add(new FieldError(CauseType.FieldValueInvalid, path + ".nonResourceURLs", "namespaced rules cannot apply to non-resource URLs", urls));
            }
            if (Count(rule, "apiGroups") > 0 || Count(rule, "resources") > 0 || Count(rule, "resourceNames") > 0)
            {
                errs.Add(new FieldError(CauseType.FieldValueInvalid, path + ".nonResourceURLs", "rules cannot apply to both regular resources and non-resource URLs", urls));
            }
            return;
        }
        if (Count(rule, "apiGroups") == 0)
        {
            errs.Add(FieldError.Required(path + ".apiGroups", "resource rules must supply at least one api group"));
        }
        if (Count(rule, "resources") == 0)
        {
            errs.Add(FieldError.Required(path + ".resources", "resource rules must supply at least one resource"));
        }
    }

    /// <summary><c>roleRef</c> of a binding: the RBAC group, a kind in <paramref name="kinds"/>, a valid name.</summary>
    public static void ValidateRoleRef(JsonObject obj, string[] kinds, List<FieldError> errs)
    {
        var roleRef = obj["roleRef"] as JsonObject ?? [];
        var group = JsonFields.AsString(roleRef["apiGroup"]) ?? "";
        if (group != KindRegistry.RbacGroup)
        {
            errs.Add(FieldError.NotSupported("roleRef.apiGroup", group, RbacGroupOnly));
        }
        var kind = JsonFields.AsString(roleRef["kind"]) ?? "";
        if (!kinds.Contains(kind))
        {
            errs.Add(FieldError.NotSupported("roleRef.kind", kind, kinds));
        }
        var name = JsonFields.AsString(roleRef["name"]) ?? "";
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required("roleRef.name"));
        }
        foreach (var msg in PathSegmentName(name, false))
        {
            errs.Add(FieldError.Invalid("roleRef.name", name, msg));
        }
    }

    /// <summary>Every subject; in a ClusterRoleBinding a ServiceAccount needs its namespace.</summary>
    public static void ValidateSubjects(JsonObject obj, bool namespaced, List<FieldError> errs)
    {
        foreach (var (i, subject) in JsonFields.Objects(obj["subjects"] as JsonArray))
        {
            ValidateSubject(subject, namespaced, $"subjects[{i}]", errs);
        }
    }

    private static void ValidateSubject(JsonObject subject, bool namespaced, string path, List<FieldError> errs)
    {
        var name = JsonFields.AsString(subject["name"]) ?? "";
        var group = JsonFields.AsString(subject["apiGroup"]) ?? "";
        if (name.Length == 0)
        {
            errs.Add(FieldError.Required(path + ".name"));
        }
        switch (JsonFields.AsString(subject["kind"]) ?? "")
        {
            case "ServiceAccount":
                foreach (var msg in name.Length > 0 ? NameValidation.NameIsDnsSubdomain(name, false) : [])
                {
                    errs.Add(FieldError.Invalid(path + ".name", name, msg));
                }
                if (group.Length > 0)
                {
                    errs.Add(FieldError.NotSupported(path + ".apiGroup", group, CoreGroupOnly));
                }
                if (!namespaced && (JsonFields.AsString(subject["namespace"]) ?? "").Length == 0)
                {
                    errs.Add(FieldError.Required(path + ".namespace"));
                }
                break;
            case "User" or "Group":
                if (group != KindRegistry.RbacGroup)
                {
                    errs.Add(FieldError.NotSupported(path + ".apiGroup", group, RbacGroupOnly));
                }
                break;
            case var other:
                errs.Add(FieldError.NotSupported(path + ".kind", other, SubjectKinds));
                break;
        }
    }

    /// <summary>Binding defaults: <c>roleRef.apiGroup</c> and the subjects' <c>apiGroup</c> by kind (User and Group: the RBAC group).</summary>
    public static void DefaultBinding(JsonObject obj)
    {
        if (obj["roleRef"] is JsonObject roleRef && (JsonFields.AsString(roleRef["apiGroup"]) ?? "").Length == 0)
        {
            roleRef["apiGroup"] = KindRegistry.RbacGroup;
        }
        foreach (var (_, subject) in JsonFields.Objects(obj["subjects"] as JsonArray))
        {
            if ((JsonFields.AsString(subject["apiGroup"]) ?? "").Length == 0
                && JsonFields.AsString(subject["kind"]) is "User" or "Group")
            {
                subject["apiGroup"] = KindRegistry.RbacGroup;
            }
        }
    }

    /// <summary>
    /// <c>roleRef</c> may not change (upstream ValidateRoleBindingUpdate); the bad value renders as Go's %#v of
    /// rbac.RoleRef.
    /// </summary>
    public static void ValidateRoleRefUnchanged(JsonObject newObj, JsonObject oldObj, List<FieldError> errs)
    {
        var (newRef, oldRef) = (RoleRefOf(newObj), RoleRefOf(oldObj));
        if (newRef != oldRef)
        {
            var rendered = $"rbac.RoleRef{{APIGroup:{GoValueRenderer.Quote(newRef.Group)}, Kind:{GoValueRenderer.Quote(newRef.Kind)}, Name:{GoValueRenderer.Quote(newRef.Name)}}}";
            errs.Add(new FieldError(CauseType.FieldValueInvalid, "roleRef", "cannot change roleRef", rendered));
        }
    }

    private static (string Group, string Kind, string Name) RoleRefOf(JsonObject obj)
    {
        var r = obj["roleRef"] as JsonObject ?? [];
        return (JsonFields.AsString(r["apiGroup"]) ?? "", JsonFields.AsString(r["kind"]) ?? "", JsonFields.AsString(r["name"]) ?? "");
    }

    private static int Count(JsonObject rule, string field) => rule[field] is JsonArray a ? a.Count : 0;

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(n => JsonFields.AsString(n) ?? "") : [];
}
