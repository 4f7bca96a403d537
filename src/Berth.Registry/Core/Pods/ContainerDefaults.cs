using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// API defaults of one container (regular or init): pull policy from the image tag, termination message fields,
/// port protocols, probe timings and handler schemes, and downward-API field references. Mutates the container in
/// place; idempotent. Mirrors kubernetes/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_Container,
/// SetDefaults_ContainerPort, SetDefaults_Probe, SetDefaults_HTTPGetAction, SetDefaults_ObjectFieldSelector).
/// </summary>
internal static class ContainerDefaults
{
    public static void Apply(JsonObject container)
    {
        if (string.IsNullOrEmpty(JsonFields.AsString(container["imagePullPolicy"])))
        {
            container["imagePullPolicy"] = DefaultPullPolicy(JsonFields.AsString(container["image"]) ?? "");
        }
        JsonFields.SetDefaultString(container, "terminationMessagePath", "/dev/termination-log");
        JsonFields.SetDefaultString(container, "terminationMessagePolicy", "File");
        JsonFields.SetDefault(container, "resources", new JsonObject());
        foreach (var (_, port) in JsonFields.Objects(container["ports"] as JsonArray))
        {
            JsonFields.SetDefaultString(port, "protocol", "TCP");
        }
        foreach (var (_, env) in JsonFields.Objects(container["env"] as JsonArray))
        {
            if (env.GetPath("valueFrom", "fieldRef") is JsonObject fieldRef)
            {
                JsonFields.SetDefaultString(fieldRef, "apiVersion", "v1");
            }
        }
        foreach (var probe in (string[])["livenessProbe", "readinessProbe", "startupProbe"])
        {
            if (container[probe] is JsonObject p)
            {
                ApplyProbe(p);
            }
        }
        foreach (var hook in (string[])["postStart", "preStop"])
        {
            if (container.GetPath("lifecycle", hook, "httpGet") is JsonObject httpGet)
            {
                ApplyHttpGet(httpGet);
            }
        }
    }

    /// <summary>
    /// <c>Always</c> when the image has the tag <c>latest</c> or no tag and no digest, else <c>IfNotPresent</c>
    /// (upstream parses the reference; an unparsable one also gets IfNotPresent).
    /// </summary>
    public static string DefaultPullPolicy(string image)
    {
        if (image.Length == 0 || image.Any(char.IsWhiteSpace))
        {
            return "IfNotPresent";
        }
        var at = image.IndexOf('@');
        var hasDigest = at >= 0;
        var name = hasDigest ? image[..at] : image;
        var lastSlash = name.LastIndexOf('/');
        var colon = name.IndexOf(':', lastSlash + 1);
        var tag = colon >= 0 ? name[(colon + 1)..] : "";
        if (tag.Length == 0 && !hasDigest)
        {
            tag = "latest";
        }
        return tag == "latest" ? "Always" : "IfNotPresent";
    }

    private static void ApplyProbe(JsonObject probe)
    {
        SetDefaultPositive(probe, "timeoutSeconds", 1);
        SetDefaultPositive(probe, "periodSeconds", 10);
        SetDefaultPositive(probe, "successThreshold", 1);
        SetDefaultPositive(probe, "failureThreshold", 3);
        if (probe["httpGet"] is JsonObject httpGet)
        {
            ApplyHttpGet(httpGet);
        }
    }

    private static void ApplyHttpGet(JsonObject httpGet)
    {
        JsonFields.SetDefaultString(httpGet, "path", "/");
        JsonFields.SetDefaultString(httpGet, "scheme", "HTTP");
    }

    /// <summary>Upstream defaults these when they are zero (Go's zero value), not only when absent.</summary>
    private static void SetDefaultPositive(JsonObject obj, string key, long value)
    {
        if (obj[key] is null || JsonFields.AsLong(obj[key]) == 0)
        {
            obj[key] = value;
        }
    }
}
