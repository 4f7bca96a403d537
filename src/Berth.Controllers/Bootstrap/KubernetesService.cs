using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Bootstrap;

/// <summary>
/// Creates (or corrects) the <c>kubernetes</c> Service in <c>default</c> with the first cluster IP of the range and
/// port 443 (<c>https</c>) targeting the API server's port, plus its Endpoints and EndpointSlice naming the API
/// server's address. Runs once the API server listens (its port may be chosen at start); idempotent.
/// Mirrors kubernetes/kubernetes pkg/controlplane/controller/kubernetesservice/controller.go (UpdateKubernetesService,
/// CreateOrUpdateMasterServiceIfNeeded) and the endpoint reconciler's ReconcileEndpoints, one pass.
/// </summary>
public sealed partial class KubernetesService(IApiClient api, KubernetesServiceOptions options, ILogger<KubernetesService> logger)
{
    public const string Namespace = "default";
    public const string Name = "kubernetes";

    /// <summary>Waits for the API server's address, then writes the three objects.</summary>
    public async Task RunAsync(Func<CancellationToken, Task<Uri>> apiServerAddress, CancellationToken cancellationToken)
    {
        Uri address;
        try
        {
            address = await apiServerAddress(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        try
        {
            await ReconcileAsync(address.Host, address.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            Log.Failed(logger, e);
        }
    }

    /// <summary>One pass for an API server at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public async Task ReconcileAsync(string host, int port, CancellationToken cancellationToken)
    {
        var labels = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        var service = new JsonObject
        {
            ["metadata"] = Meta(labels),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = options.ServiceIP,
                ["sessionAffinity"] = "None",
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443L, ["protocol"] = "TCP", ["targetPort"] = (long)port }),
            },
        };
        await CreateOrUpdateAsync(KindRegistry.Services, service, current =>
            current.GetArray("spec", "ports")?.FirstOrDefault()?["targetPort"]?.ToJsonString() == port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (current, desired) => current["spec"]!["ports"] = desired["spec"]!["ports"]!.DeepClone(), cancellationToken).ConfigureAwait(false);
        var endpoints = new JsonObject
        {
            ["metadata"] = Meta(new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" }),
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = host }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = (long)port, ["protocol"] = "TCP" }),
            }),
        };
        await CreateOrUpdateAsync(KindRegistry.Endpoints, endpoints, current => JsonNode.DeepEquals(current["subsets"], endpoints["subsets"]),
            (current, desired) => current["subsets"] = desired["subsets"]!.DeepClone(), cancellationToken).ConfigureAwait(false);
        var slice = Slice(host, port);
        await CreateOrUpdateAsync(KindRegistry.EndpointSlices, slice,
            current => JsonNode.DeepEquals(current["endpoints"], slice["endpoints"]) && JsonNode.DeepEquals(current["ports"], slice["ports"]),
            (current, desired) =>
            {
                current["endpoints"] = desired["endpoints"]!.DeepClone();
                current["ports"] = desired["ports"]!.DeepClone();
            }, cancellationToken).ConfigureAwait(false);
        Log.Reconciled(logger, options.ServiceIP, host, port);
    }

    private static JsonObject Meta(JsonObject labels) => new() { ["name"] = Name, ["namespace"] = Namespace, ["labels"] = labels };

    private static JsonObject Slice(string host, int port) => new()
    {
        ["metadata"] = Meta(new JsonObject { ["kubernetes.io/service-name"] = Name }),
        ["addressType"] = host.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4",
        ["endpoints"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(host),
            ["conditions"] = new JsonObject { ["ready"] = true },
        }),
        ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = (long)port, ["protocol"] = "TCP" }),
    };

    // Reads first, as upstream's CreateOrUpdateMasterServiceIfNeeded does: creating an existing Service again would be
    // refused for its already allocated clusterIP (422) before the registry got to AlreadyExists.
    private async Task CreateOrUpdateAsync(ResourceKind kind, JsonObject desired, Func<JsonObject, bool> upToDate, Action<JsonObject, JsonObject> apply,
        CancellationToken cancellationToken)
    {
        var current = await api.GetOrNullAsync(kind, Namespace, Name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            try
            {
                await api.CreateAsync(kind, Namespace, desired, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Created meanwhile (another server start): correct it below.
            }
            current = await api.GetAsync(kind, Namespace, Name, cancellationToken).ConfigureAwait(false);
        }
        if (!upToDate(current))
        {
            apply(current, desired);
            await api.UpdateAsync(kind, Namespace, current, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "Service default/kubernetes at {ClusterIP}:443 points at the API server {Host}:{Port}")]
        public static partial void Reconciled(ILogger logger, string clusterIP, string host, int port);

        [LoggerMessage(EventId = 4123, Level = LogLevel.Error, Message = "Could not create the Service default/kubernetes")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
