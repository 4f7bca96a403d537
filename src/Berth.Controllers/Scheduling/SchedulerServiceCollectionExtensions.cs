using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Scheduling;

/// <summary>Registration of the scheduler for a composition root.</summary>
public static class SchedulerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="Scheduler"/> (events as <c>default-scheduler</c>). Needs <see cref="SharedInformerFactory"/>,
    /// <see cref="IApiClient"/>, <see cref="TimeProvider"/> and <see cref="EventBroadcaster"/> registered; construct it
    /// before the informer factory starts, then run it with <c>RunAsync(1, ct)</c>.
    /// </summary>
    public static IServiceCollection AddScheduler(this IServiceCollection services, SchedulerOptions? options = null) =>
        services.AddSingleton(sp => new Scheduler(
            sp.GetRequiredService<SharedInformerFactory>(), sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<EventBroadcaster>().NewRecorder(new EventSource(options?.SchedulerName ?? "default-scheduler")),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Scheduler>>(), options));
}
