using Berth.Controllers.CronJob;
using Berth.Controllers.Job;
using Berth.Controllers.TtlAfterFinished;

namespace Berth.Server.Hosting.Controllers;

/// <summary>The batch/v1 controllers: Job, CronJob, and the TTL-after-finished cleanup of Jobs.</summary>
internal static class BatchControllers
{
    public static IServiceCollection AddBatchControllers(this IServiceCollection services) => services
        .AddQueueController("job-controller", 2, sp => new JobController(sp.Informers(), sp.Api(),
            sp.Recorder("job-controller"), sp.Time(), sp.GetRequiredService<ILogger<JobController>>()))
        .AddQueueController("cronjob-controller", 1, sp => new CronJobController(sp.Informers(), sp.Api(),
            sp.Recorder("cronjob-controller"), sp.Time(), sp.GetRequiredService<ILogger<CronJobController>>()))
        .AddQueueController("ttl-after-finished-controller", 1, sp => new TtlAfterFinishedController(sp.Informers(), sp.Api(),
            sp.Time(), sp.GetRequiredService<ILogger<TtlAfterFinishedController>>()));
}
