using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>
/// The Service environment variables of a container (<c>{SVC}_SERVICE_HOST</c>, <c>{SVC}_SERVICE_PORT</c>,
/// <c>{SVC}_SERVICE_PORT_{NAME}</c> and the docker-link <c>{SVC}_PORT…</c> family): the Services of the pod's
/// namespace when <c>enableServiceLinks</c> is true (the default), plus the <c>kubernetes</c> Service of
/// <c>default</c> always; a namespace's own Service of that name wins. Only Services with a cluster IP count, and
/// only those that exist when the container starts.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (getServiceEnvVarMap) and pkg/kubelet/envvars/envvars.go
/// (FromServices, makeLinkVariables).
/// </summary>
/// <remarks>Stateless; reads Services through <see cref="IApiClient"/> on every container start.</remarks>
public static class ServiceEnvironment
{
    /// <summary>The namespace and name of the API server's own Service.</summary>
    public const string MasterServiceNamespace = "default";
    public const string MasterServiceName = "kubernetes";

    /// <summary>The variables for a container of <paramref name="pod"/>, in upstream's order per Service (Services sorted by name).</summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> GetServiceEnvVarMapAsync(IApiClient api, V1Pod pod,
        CancellationToken cancellationToken)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? "";
        var services = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        if (await GetMasterServiceAsync(api, cancellationToken).ConfigureAwait(false) is { } master)
        {
            services[MasterServiceName] = master;
        }
        if (pod.Spec?.EnableServiceLinks != false)
        {
            var list = await api.ListAsync(KindRegistry.Services, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var svc in list.Items)
            {
                services[svc.GetName()!] = svc;
            }
        }
        return FromServices(services.Values);
    }

    /// <summary>The variables for <paramref name="services"/>; those without a cluster IP (headless, ExternalName) are skipped.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> FromServices(IEnumerable<JsonObject> services)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var svc in services)
        {
            var clusterIP = svc.GetString("spec", "clusterIP") ?? "";
            var ports = svc.GetArray("spec", "ports")?.OfType<JsonObject>().ToList() ?? [];
            if (clusterIP is "" or "None" || ports.Count == 0)
            {
                continue;
            }
            var prefix = MakeEnvVariableName(svc.GetName() ?? "");
            result.Add(new(prefix + "_SERVICE_HOST", clusterIP));
            result.Add(new(prefix + "_SERVICE_PORT", PortOf(ports[0])));
            foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.GetString("name"))))
            {
                result.Add(new(prefix + "_SERVICE_PORT_" + MakeEnvVariableName(port.GetString("name")!), PortOf(port)));
            }
            result.AddRange(MakeLinkVariables(prefix, clusterIP, ports));
        }
        return result;
    }

    /// <summary>Upper case, dashes to underscores.</summary>
    public static string MakeEnvVariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static IEnumerable<KeyValuePair<string, string>> MakeLinkVariables(string prefix, string clusterIP, List<JsonObject> ports)
    {
        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = ports[i].GetString("protocol") is { Length: > 0 } p ? p : "TCP";
            var port = PortOf(ports[i]);
            var url = $"{protocol.ToLowerInvariant()}://{JoinHostPort(clusterIP, port)}";
            if (i == 0)
            {
                yield return new(prefix + "_PORT", url);
            }
            var portPrefix = $"{prefix}_PORT_{port}_{protocol.ToUpperInvariant()}";
            yield return new(portPrefix, url);
            yield return new(portPrefix + "_PROTO", protocol.ToLowerInvariant());
            yield return new(portPrefix + "_PORT", port);
            yield return new(portPrefix + "_ADDR", clusterIP);
        }
    }

    private static string JoinHostPort(string host, string port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";

    private static string PortOf(JsonObject port) => (port.GetLong("port") ?? 0).ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonObject?> GetMasterServiceAsync(IApiClient api, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(KindRegistry.Services, MasterServiceNamespace, MasterServiceName, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
