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
/// Makes sure every active namespace has the ServiceAccount <c>default</c>: namespace events and the deletion of a
/// <c>default</c> ServiceAccount enqueue the namespace; the sync creates the account when the caches lack it.
/// Terminating namespaces are skipped. Mirrors kubernetes/kubernetes pkg/controller/serviceaccount/serviceaccounts_controller.go.
/// </summary>
/// <remarks>Call <see cref="RunAsync"/> once; it returns when the token fires. Uses <see cref="IApiClient"/> only.</remarks>
public sealed partial class ServiceAccountsController : IDisposable
{
    /// <summary>The account every namespace gets.</summary>
    public const string DefaultServiceAccount = "default";

    private readonly IApiClient _api;
    private readonly SharedInformerFactory _informers;
    private readonly KeyedWorker _worker;
    private readonly ILogger _logger;
    private ISharedInformer? _namespaces;
    private ISharedInformer? _accounts;

    public ServiceAccountsController(IApiClient api, SharedInformerFactory informers, TimeProvider time, ILogger<ServiceAccountsController> logger)
    {
        _api = api;
        _informers = informers;
        _logger = logger;
        _worker = new KeyedWorker(nameof(ServiceAccountsController), SyncAsync, time, logger);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _namespaces = _informers.InformerFor(KindRegistry.Namespaces);
        _accounts = _informers.InformerFor(KindRegistry.ServiceAccounts);
        _namespaces.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (ns, _) => Enqueue(ns.GetName()),
            UpdateFunc = (_, ns) => Enqueue(ns.GetName()),
        });
        _accounts.AddEventHandler(new ResourceEventHandlerFuncs
        {
            DeleteFunc = (sa, _) => Enqueue(sa.GetName() == DefaultServiceAccount ? sa.GetNamespace() : null),
        });
        await NamespaceWorkerLoop.RunAsync(_informers, _worker, _namespaces, _accounts, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _worker.Dispose();

    private void Enqueue(string? ns) => NamespaceWorkerLoop.Enqueue(_worker, ns);

    private async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        if (!ActiveNamespace.IsActive(_namespaces!.Lister.Get(null, ns)))
        {
            return;
        }
        if (_accounts!.Lister.Get(ns, DefaultServiceAccount) is not null)
        {
            return;
        }
        var account = new JsonObject { ["metadata"] = new JsonObject { ["name"] = DefaultServiceAccount, ["namespace"] = ns } };
        try
        {
            await _api.CreateAsync(KindRegistry.ServiceAccounts, ns, account, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Created(_logger, ns);
        }
        catch (ApiException e) when (e.Code is 409 or 403 or 404)
        {
            // Exists already (cache lag), or the namespace is terminating or gone: nothing to do.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4030, Level = LogLevel.Debug, Message = "Created ServiceAccount default in namespace {Namespace}")]
        public static partial void Created(ILogger logger, string @namespace);
    }
}
