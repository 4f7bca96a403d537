namespace Berth.Server.Hosting;

/// <summary>
/// Starts the server's own hosted services (store compactor, controllers, proxy, DNS, node agent…) in their
/// registration order only after Kestrel listens, instead of before it as the web host does by default. The listener
/// then serves <c>/livez</c> at once and <c>/readyz</c> with 503 until the bootstrap completes (as kube-apiserver does
/// while its post-start hooks run), and a client polling for readiness pays its first TLS handshake and first-request
/// warm-up while the bootstrap runs rather than after it. The server is still not reported ready, and
/// <see cref="BerthServer"/> still returns, only once every service has started.
/// </summary>
/// <remarks>
/// <para>Ordering contract. The web host calls <see cref="StartAsync"/> of every hosted service in registration order
/// (this one first: it starts nothing), Kestrel's last, then <see cref="StartedAsync"/> of lifecycle services: here the
/// wrapped services start one by one. Stop is the reverse of the original order: the web host stops Kestrel first (it was
/// registered last), then <see cref="StoppingAsync"/> runs the wrapped lifecycle services' StoppingAsync and
/// <see cref="StopAsync"/> stops the wrapped services in reverse order, so the node agent still stops first and the
/// compactor last. Of the wrapped services' lifecycle hooks only StoppingAsync is called.</para>
/// <para>A wrapped service whose start threw is not stopped; a stop that throws does not keep the others from stopping
/// (the exceptions are rethrown together, as the host does). The wrapped instances built from a type or a factory are
/// created here, not by the container, so this service disposes them (<paramref name="owned"/>), in reverse order, when
/// the container disposes it; registered instances stay their owner's.</para>
/// </remarks>
internal sealed class ListenFirstStart(IReadOnlyList<IHostedService> services, IReadOnlyList<IHostedService> owned)
    : IHostedLifecycleService, IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    /// <summary>The wrapped services in start order.</summary>
    public IReadOnlyList<IHostedService> Services => services;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(service);
        }
    }

    /// <summary>
    /// Calls <see cref="IHostedLifecycleService.StoppingAsync"/> of the started wrapped services that have one, in
    /// reverse order, before any of them stops (the node agent posts NotReady there before the kubelet's shutdown).
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            if (_started[i] is IHostedLifecycleService lifecycle)
            {
                await lifecycle.StoppingAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<Exception>? errors = null;
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }
        _started.Clear();
        if (errors is not null)
        {
            throw new AggregateException("One or more hosted services failed to stop.", errors);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            switch (owned[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}

/// <summary>Registers <see cref="ListenFirstStart"/> in place of the hosted services registered so far.</summary>
internal static class ListenFirstStartExtensions
{
    /// <summary>
    /// Moves every (non-keyed) <see cref="IHostedService"/> registered so far into one <see cref="ListenFirstStart"/>,
    /// keeping their order. Call after the last hosted service is registered and before the host is built; the web host
    /// adds Kestrel's own hosted service afterwards.
    /// </summary>
    public static IServiceCollection StartAfterListening(this IServiceCollection services)
    {
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService).ToList();
        foreach (var descriptor in hosted)
        {
            services.Remove(descriptor);
        }
        services.AddSingleton<IHostedService>(sp =>
        {
            var all = new List<IHostedService>(hosted.Count);
            var owned = new List<IHostedService>(hosted.Count);
            foreach (var descriptor in hosted)
            {
                if (descriptor.ImplementationInstance is IHostedService instance)
                {
                    all.Add(instance);
                    continue;
                }
                var created = (IHostedService)(descriptor.ImplementationFactory?.Invoke(sp)
                    ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
                all.Add(created);
                owned.Add(created);
            }
            return new ListenFirstStart(all, owned);
        });
        return services;
    }
}
