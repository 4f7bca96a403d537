using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Informers;

/// <summary>
/// The shared informer: a <see cref="Reflector"/> feeds this object (as its <see cref="IReflectorStore"/>), which
/// updates the <see cref="ThreadSafeStore"/> and fans notifications out to one <see cref="ProcessorListener"/> per
/// handler. Store updates and fan-out happen under one lock, so a handler added at any time sees each object exactly
/// once as an add before any later change of it.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/client-go tools/cache/shared_informer.go (sharedIndexInformer). Deviation: a relist does not
/// notify objects whose resourceVersion is unchanged (upstream sends an update that handlers then ignore), which
/// saves thousands of no-op notifications per relist; periodic resync still re-delivers everything.
/// </remarks>
public sealed partial class SharedInformer : ISharedInformer, IReflectorStore
{
    private readonly object _gate = new();
    private readonly ThreadSafeStore _store;
    private readonly Reflector _reflector;
    private readonly List<(ProcessorListener Listener, Task Loop)> _listeners = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Type, object> _typedListers = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _resyncPeriod;
    private readonly ILogger _logger;
    private int _started;

    public SharedInformer(IApiClient client, ResourceKind kind, InformerOptions? options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        options ??= new InformerOptions();
        Kind = kind;
        Namespace = kind.Namespaced ? options.Namespace : null;
        _timeProvider = timeProvider;
        _resyncPeriod = options.ResyncPeriod;
        _logger = loggerFactory.CreateLogger<SharedInformer>();
        _store = new ThreadSafeStore(new Dictionary<string, IndexFunc> { [Indexers.NamespaceIndex] = Indexers.MetaNamespace });
        if (options.Indexers is not null)
        {
            _store.AddIndexers(options.Indexers);
        }
        Lister = new Lister(_store, kind);
        _reflector = new Reflector(client, kind, Namespace, options.ListOptions, this, timeProvider,
            loggerFactory.CreateLogger<Reflector>(), options.Reflector);
    }

    public ResourceKind Kind { get; }

    /// <summary>The namespace watched, or null for all.</summary>
    public string? Namespace { get; }

    public bool HasSynced => _synced.Task.IsCompleted;

    public string LastSyncResourceVersion => _reflector.LastSyncResourceVersion;

    /// <summary>Completed lists, the first included; more than one means the informer relisted.</summary>
    public int ListCount => _reflector.ListCount;

    public IIndexer Indexer => _store;

    public ILister Lister { get; }

    /// <summary>A lister of <typeparamref name="T"/> models sharing one deserialisation cache per informer.</summary>
    public TypedLister<T> TypedLister<T>()
        where T : class =>
        (TypedLister<T>)_typedListers.GetOrAdd(typeof(T), _ => new TypedLister<T>(Lister, new ModelCache<T>()));

    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    public IEventHandlerRegistration AddEventHandler(IResourceEventHandler handler)
    {
        var listener = new ProcessorListener(handler, () => HasSynced, _logger);
        lock (_gate)
        {
            foreach (var obj in _store.List())
            {
                listener.Enqueue(new Notification(NotificationKind.Add, null, obj, null, Initial: true));
            }
            _listeners.Add((listener, Task.Run(() => listener.RunAsync(CancellationToken.None))));
        }
        return listener;
    }

    public void RemoveEventHandler(IEventHandlerRegistration registration)
    {
        lock (_gate)
        {
            var index = _listeners.FindIndex(l => ReferenceEquals(l.Listener, registration));
            if (index >= 0)
            {
                _listeners[index].Listener.Stop();
                _listeners.RemoveAt(index);
            }
        }
    }

    /// <summary>
    /// Lists, watches and resyncs until <paramref name="cancellationToken"/> fires, then stops the handlers' loops
    /// after they deliver what is queued. Runs once per informer.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"informer for {Kind.GroupResource} was already started");
        }
        Log.Starting(_logger, Kind.GroupResource, Namespace ?? "");
        var resync = _resyncPeriod > TimeSpan.Zero ? ResyncLoopAsync(cancellationToken) : Task.CompletedTask;
        await _reflector.RunAsync(cancellationToken).ConfigureAwait(false);
        await resync.ConfigureAwait(false);
        await StopListenersAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stops holding the cached objects (see <see cref="ThreadSafeStore.ReleaseObjects"/>): call when the process goes
    /// idle, before a full collection, so parsed objects nobody uses are freed and re-parsed on demand. Thread-safe.
    /// </summary>
    public int ReleaseCachedObjects() => _store.ReleaseObjects();

    void IReflectorStore.Replace(IReadOnlyList<JsonObject> items, string resourceVersion, IReadOnlyList<ReadOnlyMemory<byte>>? utf8)
    {
        lock (_gate)
        {
            var initial = !HasSynced;
            var seen = new HashSet<Berth.Machinery.Meta.ObjectKey>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var obj = items[i];
                var key = ObjectKeys.KeyOf(obj);
                seen.Add(key);
                var old = _store.Upsert(key, obj, utf8 is not null ? utf8[i] : default);
                if (old is null)
                {
                    Notify(new Notification(NotificationKind.Add, null, obj, null, initial));
                }
                else if (old.GetResourceVersion() != obj.GetResourceVersion())
                {
                    Notify(new Notification(NotificationKind.Update, old, obj, null, false));
                }
            }
            foreach (var key in _store.ListKeys())
            {
                if (!seen.Contains(key) && _store.Remove(key) is { } gone)
                {
                    Notify(new Notification(NotificationKind.Delete, null, gone, new DeletedFinalStateUnknown(key, gone), false));
                }
            }
            _synced.TrySetResult();
        }
    }

    void IReflectorStore.Upsert(JsonObject obj, ReadOnlyMemory<byte> utf8)
    {
        lock (_gate)
        {
            var old = _store.Upsert(ObjectKeys.KeyOf(obj), obj, utf8);
            Notify(old is null
                ? new Notification(NotificationKind.Add, null, obj, null, false)
                : new Notification(NotificationKind.Update, old, obj, null, false));
        }
    }

    void IReflectorStore.Delete(JsonObject obj)
    {
        lock (_gate)
        {
            _store.Remove(ObjectKeys.KeyOf(obj));
            Notify(new Notification(NotificationKind.Delete, null, obj, null, false));
        }
    }

    private void Notify(Notification notification)
    {
        foreach (var (listener, _) in _listeners)
        {
            listener.Enqueue(notification);
        }
    }

    /// <summary>Every period, re-delivers each cached object to every handler as an update to itself.</summary>
    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_resyncPeriod, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (!HasSynced)
                    {
                        continue;
                    }
                    foreach (var obj in _store.List())
                    {
                        Notify(new Notification(NotificationKind.Update, obj, obj, null, false));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped with the informer.
        }
    }

    private async Task StopListenersAsync()
    {
        Task[] loops;
        lock (_gate)
        {
            foreach (var (listener, _) in _listeners)
            {
                listener.Stop();
            }
            loops = [.. _listeners.Select(l => l.Loop)];
        }
        await Task.WhenAll(loops).ConfigureAwait(false);
        Log.Stopped(_logger, Kind.GroupResource, Namespace ?? "");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Starting informer for {Resource} in namespace '{Namespace}'")]
        public static partial void Starting(ILogger logger, string resource, string @namespace);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Debug, Message = "Stopped informer for {Resource} in namespace '{Namespace}'")]
        public static partial void Stopped(ILogger logger, string resource, string @namespace);
    }
}
