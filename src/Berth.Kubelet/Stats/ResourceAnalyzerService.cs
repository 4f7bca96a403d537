using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Stats;

/// <summary>
/// Runs <see cref="ResourceAnalyzer.SampleAsync"/> every <see cref="ResourceAnalyzer.SamplingInterval"/> on the
/// host's <see cref="TimeProvider"/> while the metrics API is in use (<see cref="ResourceAnalyzer.InDemand"/>; cAdvisor's
/// housekeeping, for <c>kubectl top</c> only, so an idle node reads no counters). A failed sample is logged and the loop
/// goes on; stopping the host ends it.
/// </summary>
public sealed partial class ResourceAnalyzerService(ResourceAnalyzer analyzer, TimeProvider time, ILogger<ResourceAnalyzerService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ResourceAnalyzer.SamplingInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!analyzer.InDemand)
            {
                continue;
            }
            try
            {
                await analyzer.SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SampleFailed(logger, e.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4801, Level = LogLevel.Warning, Message = "Resource usage sample failed: {Error}")]
        public static partial void SampleFailed(ILogger logger, string error);
    }
}
