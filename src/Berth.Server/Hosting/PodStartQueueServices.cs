using Berth.Registry.Core.Pods;
using Berth.Server.Options;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Berth.Server.Hosting;

/// <summary>
/// Registers pod-start flow control (<see cref="PodStartQueue"/>, <c>--max-pod-starts-inflight</c>) for the
/// in-process node, and its series on <c>/metrics</c> when the server serves them (the proxy's registry). Named after
/// upstream's API Priority and Fairness series (apiserver_flowcontrol_current_inqueue_requests,
/// request_concurrency_in_use, request_wait_duration_seconds).
/// </summary>
internal static class PodStartQueueServices
{
    public static IServiceCollection AddPodStartQueue(this IServiceCollection services, ServerOptions options)
    {
        if (options.MaxPodStartsInflight <= 0)
        {
            return services;
        }
        return services.AddSingleton(sp =>
        {
            var queue = new PodStartQueue(options.MaxPodStartsInflight, options.NodeName, sp.GetRequiredService<TimeProvider>(), PodStartQueue.DefaultHoldTimeout);
            if (sp.GetService<CollectorRegistry>() is { } registry)
            {
                AddMetrics(registry, queue);
            }
            return queue;
        });
    }

    private static void AddMetrics(CollectorRegistry registry, PodStartQueue queue)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var inQueue = factory.CreateGauge("berth_pod_start_queue_inqueue_requests", "Pod creates waiting for a start seat now.");
        var inUse = factory.CreateGauge("berth_pod_start_queue_seats_in_use", "Start seats held now: pods created for this node and not yet taken up.");
        var limit = factory.CreateGauge("berth_pod_start_queue_seats", "Start seats (--max-pod-starts-inflight).");
        var expired = factory.CreateCounter("berth_pod_start_queue_seats_expired_total",
            "Seats given back by the hold timeout (1 s) rather than by the pod's first status write or its deletion.");
        var wait = factory.CreateHistogram("berth_pod_start_queue_wait_duration_seconds", "How long a pod create that found every seat taken waited.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 11) });
        queue.Waited = waited => wait.Observe(waited.TotalSeconds);
        registry.AddBeforeCollectCallback(() =>
        {
            inQueue.Set(queue.Waiting);
            inUse.Set(queue.InUse);
            limit.Set(queue.Limit);
            expired.IncTo(queue.Expired);
        });
    }
}
