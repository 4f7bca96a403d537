using System.Text.Json.Nodes;
using Berth.Controllers.Volume;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Registry.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Bootstrap;

/// <summary>
/// Creates the StorageClass <c>local-path</c> at start-up when it is missing: the cluster default
/// (<c>storageclass.kubernetes.io/is-default-class: "true"</c>), provisioner <c>berth.dev/local-path</c>, reclaim
/// policy Delete, binding mode WaitForFirstConsumer — what k3s's <c>local-storage</c> addon installs with
/// <c>rancher.io/local-path</c>. An existing class of that name is left as it is. Idempotent; one pass.
/// </summary>
public sealed partial class DefaultStorageClass(IApiClient api, ILogger<DefaultStorageClass> logger)
{
    public const string Name = "local-path";

    /// <summary>The class as created.</summary>
    public static JsonObject Build() => new()
    {
        ["apiVersion"] = "storage.k8s.io/v1",
        ["kind"] = "StorageClass",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name,
            ["annotations"] = new JsonObject { [StorageAdmission.DefaultClassAnnotation] = "true" },
        },
        ["provisioner"] = LocalPathProvisioner.ProvisionerName,
        ["reclaimPolicy"] = "Delete",
        ["volumeBindingMode"] = "WaitForFirstConsumer",
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await api.CreateAsync(KindRegistry.StorageClasses, null, Build(), cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Created(logger, Name);
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Already there (perhaps edited by the user): keep it.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3161, Level = LogLevel.Information, Message = "Created default StorageClass {Name}")]
        public static partial void Created(ILogger logger, string name);
    }
}
