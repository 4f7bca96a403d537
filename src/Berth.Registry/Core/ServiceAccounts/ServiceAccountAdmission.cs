using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.ServiceAccounts;

/// <summary>
/// The ServiceAccount admission step of a pod create: unless <c>automountServiceAccountToken</c> is false on the pod
/// (or, when the pod does not say, on its ServiceAccount), adds the projected volume <c>kube-api-access-</c> plus five random characters
/// (a 3607 s ServiceAccount token at <c>token</c>, <c>ca.crt</c> from the ConfigMap <c>kube-root-ca.crt</c>, the
/// namespace from the downward API; mode 0644) and mounts it read-only at <see cref="MountPath"/> in every init and
/// app container that has no mount there yet. Mirror pods are left alone. Unlike upstream, a pod whose ServiceAccount
/// does not exist (yet) is admitted (the kubelet's token request fails until it exists). Stateless; thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes plugin/pkg/admission/serviceaccount/admission.go (Admit, mountServiceAccountToken, TokenVolumeSource).</remarks>
public static class ServiceAccountAdmission
{
    public const string VolumePrefix = "kube-api-access-";
    public const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const long TokenExpirationSeconds = 3607;
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Mutates <paramref name="pod"/> (storage form, before defaulting) as described above; reads the ServiceAccount when the pod does not decide.</summary>
    public static async Task AdmitAsync(IApiClient api, string ns, JsonObject pod, CancellationToken cancellationToken)
    {
        if (pod["spec"] is not JsonObject spec || pod.GetString("metadata", "annotations", MirrorPodAnnotation) is not null)
        {
            return;
        }
        var automount = JsonFields.AsBool(spec["automountServiceAccountToken"]);
        if (automount is null)
        {
            var name = JsonFields.AsString(spec["serviceAccountName"]) is { Length: > 0 } n ? n
                : JsonFields.AsString(spec["serviceAccount"]) is { Length: > 0 } d ? d : "default";
            automount = await AccountAutomountAsync(api, ns, name, cancellationToken).ConfigureAwait(false);
        }
        if (automount != false)
        {
            MountServiceAccountToken(spec, RandomSuffix);
        }
    }

    /// <summary>Adds the volume (named with <paramref name="suffix"/> unless one with the prefix exists) and the mounts.</summary>
    public static void MountServiceAccountToken(JsonObject spec, Func<string> suffix)
    {
        var volumes = spec["volumes"] as JsonArray;
        var existing = volumes?.OfType<JsonObject>().Select(v => JsonFields.AsString(v["name"]) ?? "")
            .FirstOrDefault(n => n.StartsWith(VolumePrefix, StringComparison.Ordinal));
        var volumeName = existing ?? VolumePrefix + suffix();
        var needed = false;
        foreach (var list in (string[])["initContainers", "containers"])
        {
            foreach (var container in (spec[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var mounts = container["volumeMounts"] as JsonArray;
                if (mounts?.OfType<JsonObject>().Any(m => JsonFields.AsString(m["mountPath"]) == MountPath) == true)
                {
                    continue;
                }
                if (mounts is null)
                {
                    container["volumeMounts"] = mounts = [];
                }
                mounts.Add(new JsonObject { ["name"] = volumeName, ["readOnly"] = true, ["mountPath"] = MountPath });
                needed = true;
            }
        }
        if (existing is null && needed)
        {
            if (volumes is null)
            {
                spec["volumes"] = volumes = [];
            }
            volumes.Add(TokenVolume(volumeName));
        }
    }

    /// <summary>The projected volume upstream's admission adds.</summary>
    public static JsonObject TokenVolume(string name) => new()
    {
        ["name"] = name,
        ["projected"] = new JsonObject
        {
            ["sources"] = new JsonArray(
                new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = TokenExpirationSeconds, ["path"] = "token" } },
                new JsonObject
                {
                    ["configMap"] = new JsonObject
                    {
                        ["name"] = "kube-root-ca.crt",
                        ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }),
                    },
                },
                new JsonObject
                {
                    ["downwardAPI"] = new JsonObject
                    {
                        ["items"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "namespace",
                            ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" },
                        }),
                    },
                }),
            ["defaultMode"] = 420L,
        },
    };

    private static async Task<bool?> AccountAutomountAsync(IApiClient api, string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            var account = await api.GetAsync(KindRegistry.ServiceAccounts, ns, name, cancellationToken).ConfigureAwait(false);
            return JsonFields.AsBool(account["automountServiceAccountToken"]);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Five characters from upstream's name-suffix alphabet (no vowels, no confusable digits).</summary>
    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = SuffixAlphabet[RandomNumberGenerator.GetInt32(SuffixAlphabet.Length)];
            }
        });
}
