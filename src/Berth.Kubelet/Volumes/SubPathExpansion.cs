using System.Text;
using k8s.Models;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// Expands <c>volumeMounts[].subPathExpr</c>: <c>$(VAR)</c> takes the container's environment variable, <c>$$</c> is a
/// literal <c>$</c>, and an unterminated <c>$(</c> stays as written. Variables come from <c>env[].value</c> (itself
/// expanded with the variables before it) and <c>env[].valueFrom.fieldRef</c> (metadata, spec.nodeName,
/// spec.serviceAccountName, status.podIP, status.hostIP); variables from ConfigMaps, Secrets, resources or envFrom
/// are not known here and count as missing. Pure.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes third_party/forked/golang/expansion/expand.go and pkg/kubelet/container/helpers.go
/// (ExpandContainerVolumeMounts).
/// </remarks>
internal static class SubPathExpansion
{
    /// <summary>The expanded path; throws <see cref="ArgumentException"/> <c>missing value for A, B</c> when variables are unset or empty.</summary>
    public static string Expand(string expression, V1Pod pod, V1Container container)
    {
        var env = ContainerEnvironment(pod, container);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var result = Expand(expression, name =>
        {
            if (!env.TryGetValue(name, out var value) || value.Length == 0)
            {
                missing.Add(name);
                return "";
            }
            return value;
        });
        return missing.Count > 0 ? throw new ArgumentException($"missing value for {string.Join(", ", missing)}") : result;
    }

    /// <summary>Go's expansion.Expand with <paramref name="lookup"/> as the mapping function.</summary>
    public static string Expand(string input, Func<string, string?> lookup)
    {
        var builder = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                builder.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                builder.Append('$');
                i++;
                continue;
            }
            var close = next == '(' ? input.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                builder.Append('$');
                continue;
            }
            var name = input[(i + 2)..close];
            builder.Append(lookup(name) ?? $"$({name})");
            i = close;
        }
        return builder.ToString();
    }

    private static Dictionary<string, string> ContainerEnvironment(V1Pod pod, V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            string? value = variable.Value is not null
                ? Expand(variable.Value, name => env.TryGetValue(name, out var v) ? v : null)
                : variable.ValueFrom?.FieldRef is { } fieldRef ? PodField(pod, fieldRef.FieldPath) : null;
            if (value is not null)
            {
                env[variable.Name] = value;
            }
        }
        return env;
    }

    private static string? PodField(V1Pod pod, string fieldPath) => fieldPath switch
    {
        "spec.nodeName" => pod.Spec?.NodeName,
        "spec.serviceAccountName" => pod.Spec?.ServiceAccountName,
        "status.podIP" => pod.Status?.PodIP,
        "status.hostIP" => pod.Status?.HostIP,
        _ => TryFieldPath(pod, fieldPath),
    };

    private static string? TryFieldPath(V1Pod pod, string fieldPath)
    {
        try
        {
            return DownwardApiFields.ExtractFieldPath(pod, fieldPath);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
