namespace Berth.Server.Hosting;

/// <summary>Wrapping a registered singleton in a decorator of the same service type (the node-routing backends).</summary>
internal static class ServiceDecoration
{
    /// <summary>
    /// Replaces the last non-keyed registration of <typeparamref name="TService"/> with a singleton built by
    /// <paramref name="decorate"/>, which gets the replaced instance (null when there was none). Call after the inner
    /// registration; the inner instance is created once, when the decorator is.
    /// </summary>
    public static void Decorate<TService>(this IServiceCollection services, Func<IServiceProvider, TService?, TService> decorate)
        where TService : class
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (inner is not null)
        {
            services.Remove(inner);
        }
        services.AddSingleton(sp => decorate(sp, inner is null ? null : (TService)(
            inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
    }
}
