using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Namespaces;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>
/// Keeps the ConfigMap <c>kube-root-ca.crt</c> (key <c>ca.crt</c>: the cluster CA bundle) in every active namespace,
/// so the <c>kube-api-access-*</c> projected volume can give pods the CA that verifies the API server. Namespace
/// events and changes to (or the deletion of) such a ConfigMap enqueue the namespace; the sync creates the map or
/// restores its data. Terminating namespaces are skipped.
/// Mirrors kubernetes/kubernetes pkg/controller/certificates/rootcacertpublisher/publisher.go.
/// </summary>
/// <remarks>Call <see cref="RunAsync"/> once; it returns when the token fires. The CA is read once, when it starts.</remarks>
public sealed partial class RootCaCertPublisher : IDisposable
{
    public const string ConfigMapName = "kube-root-ca.crt";
    public const string DataKey = "ca.crt";
    public const string DescriptionAnnotation = "kubernetes.io/description";

    private const string Description = "The CA bundle that verifies the API server at its in-cluster addresses "
        + "(the kubernetes Service's cluster IP, kubernetes.default.svc).";

    private readonly IApiClient _api;
    private readonly SharedInformerFactory _informers;
    private readonly Func<string> _readCa;
    private readonly KeyedWorker _worker;
    private readonly ILogger _logger;
    private ISharedInformer? _namespaces;
    private ISharedInformer? _configMaps;
    private string _ca = "";

    /// <param name="readCa">Returns the PEM bundle; called once by <see cref="RunAsync"/>.</param>
    public RootCaCertPublisher(IApiClient api, SharedInformerFactory informers, Func<string> readCa, TimeProvider time,
        ILogger<RootCaCertPublisher> logger)
    {
        _api = api;
        _informers = informers;
        _readCa = readCa;
        _logger = logger;
        _worker = new KeyedWorker(nameof(RootCaCertPublisher), SyncAsync, time, logger);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _ca = _readCa();
        _namespaces = _informers.InformerFor(KindRegistry.Namespaces);
        _configMaps = _informers.InformerFor(KindRegistry.ConfigMaps,
            new InformerOptions(ListOptions: new ListOptions(FieldSelector: "metadata.name=" + ConfigMapName)));
        _namespaces.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (ns, _) => Enqueue(ns.GetName()),
            UpdateFunc = (_, ns) => Enqueue(ns.GetName()),
        });
        _configMaps.AddEventHandler(new ResourceEventHandlerFuncs
        {
            UpdateFunc = (_, cm) => Enqueue(cm.GetNamespace()),
            DeleteFunc = (cm, _) => Enqueue(cm.GetNamespace()),
        });
        await NamespaceWorkerLoop.RunAsync(_informers, _worker, _namespaces, _configMaps, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _worker.Dispose();

    private void Enqueue(string? ns) => NamespaceWorkerLoop.Enqueue(_worker, ns);

    private async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        if (!ActiveNamespace.IsActive(_namespaces!.Lister.Get(null, ns)))
        {
            return;
        }
        try
        {
            if (_configMaps!.Lister.Get(ns, ConfigMapName) is not { } current)
            {
                await _api.CreateAsync(KindRegistry.ConfigMaps, ns, Desired(ns), cancellationToken: cancellationToken).ConfigureAwait(false);
                Log.Published(_logger, ns);
                return;
            }
            var data = current["data"] as JsonObject;
            if (data?.Count == 1 && current.GetString("data", DataKey) == _ca
                && current.GetString("metadata", "annotations", DescriptionAnnotation) is not null)
            {
                return;
            }
            var updated = (JsonObject)current.DeepClone();
            updated["data"] = new JsonObject { [DataKey] = _ca };
            AnnotationsOf(updated)[DescriptionAnnotation] = Description;
            await _api.UpdateAsync(KindRegistry.ConfigMaps, ns, updated, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Restored(_logger, ns);
        }
        catch (ApiException e) when (e.Code is 409 or 403 or 404)
        {
            // Exists already or changed meanwhile (cache lag: the informer's event enqueues again), or the namespace
            // is terminating or gone: nothing to do.
        }
    }

    private JsonObject Desired(string ns) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = ConfigMapName,
            ["namespace"] = ns,
            ["annotations"] = new JsonObject { [DescriptionAnnotation] = Description },
        },
        ["data"] = new JsonObject { [DataKey] = _ca },
    };

    private static JsonObject AnnotationsOf(JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());
        return meta["annotations"] as JsonObject ?? (JsonObject)(meta["annotations"] = new JsonObject());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4040, Level = LogLevel.Debug, Message = "Published ConfigMap kube-root-ca.crt in namespace {Namespace}")]
        public static partial void Published(ILogger logger, string @namespace);

        [LoggerMessage(EventId = 4041, Level = LogLevel.Debug, Message = "Restored the data of ConfigMap kube-root-ca.crt in namespace {Namespace}")]
        public static partial void Restored(ILogger logger, string @namespace);
    }
}
