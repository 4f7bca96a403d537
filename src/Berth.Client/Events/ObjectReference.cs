using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s;
using k8s.Models;

namespace Berth.Client.Events;

/// <summary>The object an event is about, as <c>involvedObject</c> carries it.</summary>
/// <param name="FieldPath">A part of the object, e.g. <c>spec.containers{web}</c> for one container.</param>
/// <remarks>Mirrors k8s.io/client-go tools/reference/ref.go (GetReference) and core/v1 ObjectReference.</remarks>
public sealed record ObjectReference(
    string Kind, string Namespace, string Name, string Uid, string ApiVersion, string ResourceVersion, string FieldPath = "")
{
    /// <summary>The reference of an object in storage form (apiVersion and kind stamped).</summary>
    public static ObjectReference FromObject(JsonObject obj, string? fieldPath = null) => new(
        obj.GetString("kind") ?? "",
        obj.GetNamespace() ?? "",
        obj.GetName() ?? "",
        obj.GetUid() ?? "",
        obj.GetString("apiVersion") ?? "",
        obj.GetResourceVersion() ?? "",
        fieldPath ?? "");

    /// <summary>The reference of a typed model (as handed out by a <c>TypedLister</c>).</summary>
    public static ObjectReference FromModel(IKubernetesObject<V1ObjectMeta> obj, string? fieldPath = null) => new(
        obj.Kind ?? "",
        obj.Metadata?.NamespaceProperty ?? "",
        obj.Metadata?.Name ?? "",
        obj.Metadata?.Uid ?? "",
        obj.ApiVersion ?? "",
        obj.Metadata?.ResourceVersion ?? "",
        fieldPath ?? "");

    /// <summary>The <c>involvedObject</c> JSON; empty fields are left out, as Go's omitempty does.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        Put(json, "kind", Kind);
        Put(json, "namespace", Namespace);
        Put(json, "name", Name);
        Put(json, "uid", Uid);
        Put(json, "apiVersion", ApiVersion);
        Put(json, "resourceVersion", ResourceVersion);
        Put(json, "fieldPath", FieldPath);
        return json;
    }

    private static void Put(JsonObject json, string key, string value)
    {
        if (value.Length > 0)
        {
            json[key] = value;
        }
    }
}
