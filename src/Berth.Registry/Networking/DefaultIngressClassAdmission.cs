using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// The DefaultIngressClass admission step of an Ingress create: an Ingress that names no class (neither
/// <c>spec.ingressClassName</c> nor the <c>kubernetes.io/ingress.class</c> annotation) gets the IngressClass annotated
/// <c>ingressclass.kubernetes.io/is-default-class: "true"</c>; with several, the newest (then the first by name).
/// Stateless, thread-safe. Mirrors kubernetes/kubernetes plugin/pkg/admission/network/defaultingressclass/admission.go.
/// </summary>
internal static class DefaultIngressClassAdmission
{
    /// <summary>True when <paramref name="ingress"/> names no class, so admission should look for a default.</summary>
    public static bool NeedsClass(JsonObject ingress) =>
        ingress["spec"]?["ingressClassName"] is null && ingress.GetString("metadata", "annotations", IngressStrategy.ClassAnnotation) is null;

    /// <summary>Sets <c>spec.ingressClassName</c> from the default among <paramref name="classes"/>, if any.</summary>
    public static void Admit(JsonObject ingress, IEnumerable<JsonObject> classes)
    {
        var chosen = classes
            .Where(c => c.GetString("metadata", "annotations", IngressClassStrategy.DefaultClassAnnotation) == "true")
            .OrderByDescending(c => c.GetString("metadata", "creationTimestamp") is { } t ? DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : DateTimeOffset.MinValue)
            .ThenBy(c => c.GetName(), StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen?.GetName() is { } name)
        {
            JsonFields.Child(ingress, "spec")["ingressClassName"] = name;
        }
    }
}
