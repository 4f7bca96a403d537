using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// Creates the namespaces every cluster has (<c>default</c>, <c>kube-system</c>, <c>kube-public</c>,
/// <c>kube-node-lease</c>) when they are missing. Run once at start-up, after the API is up and before controllers that
/// expect them. Idempotent. Mirrors kubernetes/kubernetes pkg/controlplane/controller/systemnamespaces
/// (SystemNamespacesController, one pass).
/// </summary>
public sealed partial class SystemNamespaces(IApiClient api, ILogger<SystemNamespaces> logger)
{
    /// <summary>The namespaces created, in order.</summary>
    public static readonly IReadOnlyList<string> Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Creates each missing namespace; completes when all exist.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Names)
        {
            try
            {
                await api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                Log.Created(logger, name);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Already there.
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4017, Level = LogLevel.Information, Message = "Created system namespace {Namespace}")]
        public static partial void Created(ILogger logger, string @namespace);
    }
}
