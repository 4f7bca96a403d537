using Berth.Machinery.Kinds;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Informers;

/// <summary>
/// Hands out one <see cref="SharedInformer"/> per (kind, namespace, label selector, field selector), so every
/// controller watching pods shares one cache and one watch. Informers asked for before <see cref="Start"/> start with
/// it; informers asked for later start on the next <see cref="Start"/> call.
/// </summary>
/// <remarks>Mirrors kubernetes/client-go informers/factory.go (sharedInformerFactory). Thread-safe.</remarks>
public sealed class SharedInformerFactory(
    IApiClient client, TimeProvider timeProvider, ILoggerFactory loggerFactory, SharedInformerFactoryOptions? options = null)
    : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly SharedInformerFactoryOptions _options = options ?? new SharedInformerFactoryOptions();
    private readonly Dictionary<(ResourceKind, string?, string?, string?), SharedInformer> _informers = [];
    private readonly Dictionary<SharedInformer, Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CancellationTokenSource> _linked = [];

    /// <summary>
    /// The informer for <paramref name="kind"/> with <paramref name="options"/> (the factory's namespace and resync
    /// apply when the options leave them unset). Indexers of a later call are added to an existing informer.
    /// </summary>
    public SharedInformer InformerFor(ResourceKind kind, InformerOptions? options = null)
    {
        options ??= new InformerOptions();
        options = options with
        {
            Namespace = kind.Namespaced ? options.Namespace ?? _options.Namespace : null,
            ResyncPeriod = options.ResyncPeriod > TimeSpan.Zero ? options.ResyncPeriod : _options.DefaultResyncPeriod,
        };
        var key = (kind, options.Namespace, options.ListOptions?.LabelSelector, options.ListOptions?.FieldSelector);
        lock (_gate)
        {
            if (_informers.TryGetValue(key, out var existing))
            {
                AddMissingIndexers(existing, options.Indexers);
                return existing;
            }
            var informer = new SharedInformer(client, kind, options with { Reflector = _options.Reflector ?? options.Reflector },
                timeProvider, loggerFactory);
            _informers[key] = informer;
            return informer;
        }
    }

    /// <summary>Starts every informer not yet running. They run until <paramref name="cancellationToken"/> fires or the factory is shut down.</summary>
    public void Start(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancellationToken);
            _linked.Add(linked);
            var token = linked.Token;
            foreach (var informer in _informers.Values)
            {
                if (!_running.ContainsKey(informer))
                {
                    _running[informer] = Task.Run(() => informer.RunAsync(token), CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Waits until every started informer has synced.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.WhenAll(_running.Keys.Select(i => i.WaitForCacheSyncAsync(cancellationToken)));
        }
    }

    /// <summary>
    /// Lets every informer stop holding its cached objects (<see cref="SharedInformer.ReleaseCachedObjects"/>), so the
    /// next full collection frees the parsed objects no consumer references. For the server's idle memory trim.
    /// Returns how many objects were released. Thread-safe.
    /// </summary>
    public int ReleaseCachedObjects()
    {
        SharedInformer[] informers;
        lock (_gate)
        {
            informers = [.. _informers.Values];
        }
        return informers.Sum(i => i.ReleaseCachedObjects());
    }

    /// <summary>Stops every informer and waits for their loops to end.</summary>
    public async Task ShutdownAsync()
    {
        Task[] running;
        lock (_gate)
        {
            _stop.Cancel();
            running = [.. _running.Values];
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync().ConfigureAwait(false);
        lock (_gate)
        {
            _linked.ForEach(l => l.Dispose());
            _linked.Clear();
        }
        _stop.Dispose();
    }

    private static void AddMissingIndexers(SharedInformer informer, IReadOnlyDictionary<string, IndexFunc>? indexers)
    {
        if (indexers is null)
        {
            return;
        }
        var missing = indexers.Where(p => !informer.Indexer.HasIndex(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        if (missing.Count > 0)
        {
            informer.Indexer.AddIndexers(missing);
        }
    }
}
