using Berth.Controllers.Bootstrap;
using Berth.Controllers.Volume;

namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// Persistent storage: the default StorageClass bootstrap (<c>local-path</c>), the PersistentVolume binder with the
/// built-in local-path provisioner (volumes below <c>&lt;data-dir&gt;/storage</c>) and the claim/volume protection
/// controller.
/// </summary>
internal static class StorageControllers
{
    public static IServiceCollection AddStorageControllers(this IServiceCollection services, DataDirectory dir)
    {
        services.AddSingleton<DefaultStorageClass>();
        services.AddControllerRun("bootstrap-default-storageclass", sp => sp.GetRequiredService<DefaultStorageClass>().RunAsync);
        services.AddSingleton(new LocalPathProvisioner(Path.Combine(dir.Root, "storage")));
        services.AddQueueController("persistentvolume-binder", 2, sp => new PersistentVolumeController(sp.Informers(), sp.Api(),
            sp.Recorder("persistentvolume-controller"), sp.Recorder(LocalPathProvisioner.ProvisionerName), sp.GetRequiredService<LocalPathProvisioner>(),
            sp.Time(), sp.GetRequiredService<ILogger<PersistentVolumeController>>()));
        return services.AddQueueController("volume-protection", 1, sp => new VolumeProtectionController(sp.Informers(), sp.Api(), sp.Time(),
            sp.GetRequiredService<ILogger<VolumeProtectionController>>()));
    }
}
