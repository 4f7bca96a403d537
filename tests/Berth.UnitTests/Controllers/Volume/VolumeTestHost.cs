using Berth.Controllers.Bootstrap;
using Berth.Controllers.Volume;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.Volume;

/// <summary>The PV binder (with the local-path provisioner under a temporary root) and the protection controller over the real registry and a fake clock.</summary>
internal sealed class VolumeTestHost : ControllerHostBase
{
    public VolumeTestHost(string storageRoot)
        : base(new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero)))
    {
        Provisioner = new LocalPathProvisioner(storageRoot);
    }

    public LocalPathProvisioner Provisioner { get; }

    public async Task RunAsync(bool defaultClass = true)
    {
        if (defaultClass)
        {
            await new DefaultStorageClass(Api, NullLogger<DefaultStorageClass>.Instance).RunAsync(CancellationToken.None);
        }
        Add(new PersistentVolumeController(Informers, Api, Events, Events, Provisioner, Time, NullLogger<PersistentVolumeController>.Instance));
        Add(new VolumeProtectionController(Informers, Api, Time, NullLogger<VolumeProtectionController>.Instance));
        StartInformers();
    }
}
