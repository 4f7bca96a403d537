using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Kubelet.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// Builds a container's environment: <c>envFrom</c> sources first (ConfigMap/Secret keys with the optional prefix;
/// keys that are not valid variable names are skipped with an <c>InvalidEnvironmentVariableNames</c> event), then
/// <c>env</c> in order, later entries overriding earlier ones: plain values with <c>$(VAR)</c> expanded against what
/// is defined so far, fieldRef (downward API), resourceFieldRef, configMapKeyRef and secretKeyRef. A missing
/// non-optional ConfigMap, Secret or key throws <see cref="ContainerConfigException"/> with upstream's message.
/// Service environment variables (<see cref="ServiceEnvironment"/>) come last, unless an explicit variable has the
/// same name. Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go
/// (makeEnvironmentVariables).
/// </summary>
/// <remarks>Reads ConfigMaps and Secrets through <see cref="IApiClient"/> on every container start (no cache).</remarks>
public sealed class EnvironmentResolver(IApiClient api, IEventRecorder recorder, NodeAllocatable node)
{
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ResolveAsync(V1Pod pod, V1Container container,
        IReadOnlyList<string> podIPs, string hostIP, CancellationToken cancellationToken)
    {
        var serviceEnv = await ServiceEnvironment.GetServiceEnvVarMapAsync(api, pod, cancellationToken).ConfigureAwait(false);
        var env = new OrderedEnvironment(serviceEnv);
        var ns = pod.Metadata?.NamespaceProperty ?? "";
        foreach (var source in container.EnvFrom ?? [])
        {
            await AddEnvFromAsync(pod, ns, source, env, cancellationToken).ConfigureAwait(false);
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = await ValueOfAsync(pod, ns, container, variable, env, podIPs, hostIP, cancellationToken).ConfigureAwait(false);
            if (value is not null)
            {
                env.Set(variable.Name, value);
            }
        }

        env.AddServiceVariables();
        return env.Items;
    }

    private async Task<string?> ValueOfAsync(V1Pod pod, string ns, V1Container container, V1EnvVar variable,
        OrderedEnvironment env, IReadOnlyList<string> podIPs, string hostIP, CancellationToken cancellationToken)
    {
        if (variable.ValueFrom is not { } from)
        {
            return Expansion.Expand(variable.Value ?? "", env.Lookup);
        }

        if (from.FieldRef is { } fieldRef)
        {
            return FieldPathResolver.Resolve(fieldRef.FieldPath, pod, podIPs, hostIP);
        }

        if (from.ResourceFieldRef is { } resourceRef)
        {
            return ResourceFieldResolver.Resolve(resourceRef, pod, container, node);
        }

        if (from.ConfigMapKeyRef is { } cmRef)
        {
            var data = await GetDataAsync(KindRegistry.ConfigMaps, ns, cmRef.Name, cmRef.Optional == true, cancellationToken).ConfigureAwait(false);
            return Lookup(data, cmRef.Key, cmRef.Optional == true, $"couldn't find key {cmRef.Key} in ConfigMap {ns}/{cmRef.Name}");
        }

        if (from.SecretKeyRef is { } secretRef)
        {
            var data = await GetDataAsync(KindRegistry.Secrets, ns, secretRef.Name, secretRef.Optional == true, cancellationToken).ConfigureAwait(false);
            return Lookup(data, secretRef.Key, secretRef.Optional == true, $"couldn't find key {secretRef.Key} in Secret {ns}/{secretRef.Name}");
        }

        return Expansion.Expand(variable.Value ?? "", env.Lookup);
    }

    private static string? Lookup(IReadOnlyDictionary<string, string>? data, string key, bool optional, string missing)
    {
        if (data is null)
        {
            return null;
        }

        if (data.TryGetValue(key, out var value))
        {
            return value;
        }

        return optional ? null : throw new ContainerConfigException(missing);
    }

    private async Task AddEnvFromAsync(V1Pod pod, string ns, V1EnvFromSource source, OrderedEnvironment env, CancellationToken cancellationToken)
    {
        var (kind, name, optional, label) = source.ConfigMapRef is { } cm
            ? (KindRegistry.ConfigMaps, cm.Name, cm.Optional == true, "configMap")
            : (KindRegistry.Secrets, source.SecretRef?.Name ?? "", source.SecretRef?.Optional == true, "secret");
        var data = await GetDataAsync(kind, ns, name, optional, cancellationToken).ConfigureAwait(false);
        var invalid = new List<string>();
        foreach (var (key, value) in (data ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var variable = (source.Prefix ?? "") + key;
            if (IsValidEnvVarName(variable))
            {
                env.Set(variable, value);
            }
            else
            {
                invalid.Add(variable);
            }
        }

        if (invalid.Count > 0)
        {
            recorder.PodEvent(pod, EventTypes.Warning, EventReasons.InvalidEnvironmentVariableNames,
                $"Keys [{string.Join(", ", invalid)}] from the EnvFrom {label} {ns}/{name} were skipped since they are considered invalid environment variable names.");
        }
    }

    // Null when the object is missing and optional; data values decoded (Secrets are base64 in storage form).
    private async Task<IReadOnlyDictionary<string, string>?> GetDataAsync(ResourceKind kind, string ns, string name, bool optional,
        CancellationToken cancellationToken)
    {
        JsonObject obj;
        try
        {
            obj = await api.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return optional ? null : throw new ContainerConfigException($"{kind.Singular} \"{name}\" not found");
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj.GetStringMap("data"))
        {
            data[key] = kind == KindRegistry.Secrets ? DecodeSecret(value) : value;
        }

        if (kind == KindRegistry.ConfigMaps)
        {
            foreach (var (key, value) in obj.GetStringMap("binaryData"))
            {
                data.TryAdd(key, DecodeSecret(value));
            }
        }

        return data;
    }

    private static string DecodeSecret(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return base64;
        }
    }

    // RelaxedEnvironmentVariableValidation (on by default since 1.32): any printable ASCII but '='.
    private static bool IsValidEnvVarName(string name) => name.Length > 0 && name.All(c => c is >= ' ' and <= '~' and not '=');

    /// <summary>
    /// Insertion-ordered variables; setting an existing name replaces its value in place. Service variables are visible
    /// to <c>$(VAR)</c> expansion and added last, where no explicit variable of the same name exists.
    /// </summary>
    private sealed class OrderedEnvironment(IReadOnlyList<KeyValuePair<string, string>> serviceEnv)
    {
        private readonly List<KeyValuePair<string, string>> _items = [];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly IReadOnlyList<KeyValuePair<string, string>> _serviceEnv = serviceEnv;
        private readonly Dictionary<string, string> _service = serviceEnv.GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

        public void AddServiceVariables()
        {
            foreach (var (name, value) in _serviceEnv)
            {
                if (!_index.ContainsKey(name))
                {
                    Set(name, value);
                }
            }
        }

        public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

        public void Set(string name, string value)
        {
            if (_index.TryGetValue(name, out var i))
            {
                _items[i] = new(name, value);
                return;
            }

            _index[name] = _items.Count;
            _items.Add(new(name, value));
        }

        public string? Lookup(string name) => _index.TryGetValue(name, out var i) ? _items[i].Value : _service.GetValueOrDefault(name);
    }
}
