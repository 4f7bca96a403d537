using System.Text.Json.Nodes;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// API defaults of a pod spec, shared by pods and pod templates (deployments, jobs…): restart and DNS policy,
/// scheduler, grace period, security context, service-account mirror, host-network ports, volumes and every
/// container. Mutates in place; idempotent. Mirrors kubernetes/kubernetes pkg/apis/core/v1/defaults.go
/// (SetDefaults_PodSpec, SetDefaults_Volume, SetDefaults_SecretVolumeSource…).
/// </summary>
internal static class PodSpecDefaults
{
    public const long DefaultTerminationGracePeriodSeconds = 30;

    /// <summary>Volume sources whose <c>defaultMode</c> defaults to 0644 (420).</summary>
    private static readonly string[] DefaultModeSources = ["secret", "configMap", "downwardAPI", "projected"];

    public static void Apply(JsonObject spec)
    {
        JsonFields.SetDefaultString(spec, "dnsPolicy", "ClusterFirst");
        JsonFields.SetDefaultString(spec, "restartPolicy", "Always");
        JsonFields.SetDefault(spec, "securityContext", new JsonObject());
        JsonFields.SetDefaultString(spec, "schedulerName", "default-scheduler");
        ApplyGracePeriod(spec);
        MirrorServiceAccount(spec);
        var hostNetwork = JsonFields.AsBool(spec["hostNetwork"]) == true;
        foreach (var list in (string[])["initContainers", "containers", "ephemeralContainers"])
        {
            foreach (var (_, container) in JsonFields.Objects(spec[list] as JsonArray))
            {
                ContainerDefaults.Apply(container);
                if (hostNetwork)
                {
                    DefaultHostNetworkPorts(container);
                }
            }
        }
        foreach (var (_, volume) in JsonFields.Objects(spec["volumes"] as JsonArray))
        {
            ApplyVolume(volume);
        }
    }

    /// <summary>
    /// 30 s when unset; a negative value is stored as 1 (kubernetes/kubernetes#115606), so that the kubelet's and
    /// the delete path's arithmetic never sees a negative grace period.
    /// </summary>
    private static void ApplyGracePeriod(JsonObject spec)
    {
        var grace = JsonFields.AsLong(spec["terminationGracePeriodSeconds"]);
        if (spec["terminationGracePeriodSeconds"] is null)
        {
            spec["terminationGracePeriodSeconds"] = DefaultTerminationGracePeriodSeconds;
        }
        else if (grace < 0)
        {
            spec["terminationGracePeriodSeconds"] = 1L;
        }
    }

    /// <summary>
    /// <c>serviceAccount</c> is the deprecated alias of <c>serviceAccountName</c>: it fills the name when only it is
    /// given, and always mirrors the name on output (upstream does this in v1 conversion).
    /// </summary>
    internal static void MirrorServiceAccount(JsonObject spec)
    {
        var name = JsonFields.AsString(spec["serviceAccountName"]) ?? "";
        if (name.Length == 0 && JsonFields.AsString(spec["serviceAccount"]) is { Length: > 0 } deprecated)
        {
            spec["serviceAccountName"] = name = deprecated;
        }
        if (name.Length > 0)
        {
            spec["serviceAccount"] = name;
        }
    }

    private static void DefaultHostNetworkPorts(JsonObject container)
    {
        foreach (var (_, port) in JsonFields.Objects(container["ports"] as JsonArray))
        {
            if (JsonFields.AsLong(port["hostPort"]) is null or 0 && port["containerPort"] is { } containerPort)
            {
                port["hostPort"] = containerPort.DeepClone();
            }
        }
    }

    private static void ApplyVolume(JsonObject volume)
    {
        if (!volume.Any(p => p.Key != "name" && p.Value is not null))
        {
            volume["emptyDir"] = new JsonObject();
        }
        foreach (var source in DefaultModeSources)
        {
            if (volume[source] is JsonObject s)
            {
                JsonFields.SetDefault(s, "defaultMode", 420L);
            }
        }
        ServiceAccountTokenProjectionRules.Default(volume);
    }
}
