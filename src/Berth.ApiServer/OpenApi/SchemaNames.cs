using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// The upstream definition names of model types (<c>io.k8s.api.core.v1.PodSpec</c>,
/// <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>, <c>io.k8s.api.apps.v1.DeploymentSpec</c>) for one group
/// version's document. KubernetesClient's class names drop the package, so a model is placed in metav1 by name, in
/// core/v1 when the core kinds (or a pod template, or a claim) reach it, and in the document's own group otherwise.
/// Immutable; built per document.
/// </summary>
internal sealed class SchemaNames
{
    public const string Core = "io.k8s.api.core.v1.";
    public const string Meta = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    public const string Time = Meta + "Time";
    public const string FieldsV1 = Meta + "FieldsV1";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string RawExtension = "io.k8s.apimachinery.pkg.runtime.RawExtension";

    private static readonly HashSet<string> MetaTypes = new(StringComparer.Ordinal)
    {
        "ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry",
        "Condition", "Status", "StatusDetails", "StatusCause", "DeleteOptions", "Preconditions",
    };

    private readonly HashSet<Type> _coreModels;
    private readonly string _groupPackage;

    public SchemaNames(string group, string version)
    {
        var seeds = KindRegistry.AllKinds.Where(k => k.Group.Length == 0).Select(KindModels.ModelType).OfType<Type>()
            .Concat([typeof(V1PodTemplateSpec), typeof(V1PersistentVolumeClaim), typeof(V1TopologySelectorTerm)]);
        _coreModels = [.. ModelTypes.Closure(seeds)];
        _groupPackage = group.Length == 0 ? Core : $"io.k8s.api.{group.Split('.')[0]}.{version}.";
    }

    /// <summary>The definition name of <paramref name="model"/>.</summary>
    public string Of(Type model)
    {
        var name = GoName(model);
        return MetaTypes.Contains(name) ? Meta + name : _coreModels.Contains(model) ? Core + name : _groupPackage + name;
    }

    /// <summary><c>V1Container</c> → <c>Container</c>, <c>Corev1Event</c> → <c>Event</c>, <c>Discoveryv1EndpointPort</c> → <c>EndpointPort</c>.</summary>
    public static string GoName(Type type)
    {
        var name = type.Name;
        var i = 0;
        while (i < name.Length && !char.IsDigit(name[i]))
        {
            i++;
        }
        while (i < name.Length && (char.IsDigit(name[i]) || char.IsLower(name[i])))
        {
            i++;
        }
        return i < name.Length ? name[i..] : name;
    }
}
