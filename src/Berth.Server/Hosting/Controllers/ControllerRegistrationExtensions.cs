using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers;
using Berth.Registry;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// Helpers that register a controller singleton and its <see cref="ControllerRegistration"/> in one call, so each
/// controller family lives in its own registration file and the composition root only lists the families.
/// </summary>
internal static class ControllerRegistrationExtensions
{
    /// <summary>Registers <typeparamref name="T"/> (built by <paramref name="factory"/>) to run with <paramref name="workers"/> workers.</summary>
    public static IServiceCollection AddQueueController<T>(this IServiceCollection services, string name, int workers,
        Func<IServiceProvider, T> factory) where T : ControllerBase
    {
        services.AddSingleton(factory);
        return services.AddControllerRun(name, sp => { var c = sp.GetRequiredService<T>(); return ct => c.RunAsync(workers, ct); });
    }

    /// <summary>Registers a loop that is not a queue controller: <paramref name="create"/> resolves it (before the informers start) and returns its run delegate.</summary>
    public static IServiceCollection AddControllerRun(this IServiceCollection services, string name,
        Func<IServiceProvider, Func<CancellationToken, Task>> create) =>
        services.AddSingleton(new ControllerRegistration(name, create));

    public static SharedInformerFactory Informers(this IServiceProvider sp) => sp.GetRequiredService<SharedInformerFactory>();

    public static IApiClient Api(this IServiceProvider sp) => sp.GetRequiredService<IApiClient>();

    public static TimeProvider Time(this IServiceProvider sp) => sp.GetRequiredService<TimeProvider>();

    /// <summary>An event recorder whose events carry <c>source.component</c> = <paramref name="component"/>.</summary>
    public static IEventRecorder Recorder(this IServiceProvider sp, string component) =>
        sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource(component));
}
