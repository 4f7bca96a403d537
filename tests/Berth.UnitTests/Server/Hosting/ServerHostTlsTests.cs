using System.Net;
using Berth.Server.Hosting;
using Berth.Server.Tls;
using Berth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Server.Hosting;

public sealed class ServerHostTlsTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task PrepareAsync_FreshDataDir_CreatesMaterialAfterWarmUp()
    {
        var dir = DataDirectory.Prepare(temp.Path);
        var material = await ServerHostTls.PrepareAsync(dir, IPAddress.Loopback, time).DefaultTimeout();
        using (material.Serving)
        using (material.Authority)
        {
            Assert.True(material.Serving.HasPrivateKey);
            Assert.True(File.Exists(dir.ServerCertificate));
            Assert.True(ServingCertificates.IsUsable(material.Serving, material.Authority, ServingCertificates.AddressesFor(IPAddress.Loopback), time.GetUtcNow()));
        }
    }

    [Fact]
    public async Task PrepareAsync_SecondStart_LoadsTheSameCertificate()
    {
        var dir = DataDirectory.Prepare(temp.Path);
        var first = await ServerHostTls.PrepareAsync(dir, IPAddress.Loopback, time).DefaultTimeout();
        var thumbprint = first.Serving.Thumbprint;
        await ServerHostTls.DisposeWhenDoneAsync(Task.FromResult(first)).DefaultTimeout();
        var second = await ServerHostTls.PrepareAsync(dir, IPAddress.Loopback, time).DefaultTimeout();
        using (second.Serving)
        using (second.Authority)
        {
            Assert.Equal(thumbprint, second.Serving.Thumbprint);
        }
    }

    [Fact]
    public async Task DisposeWhenDoneAsync_FailedPreparation_DoesNotThrow()
    {
        var failed = Task.FromException<ServingMaterial>(new IOException("disk full"));
        await ServerHostTls.DisposeWhenDoneAsync(failed).DefaultTimeout();
        Assert.True(failed.IsFaulted);
    }
}
