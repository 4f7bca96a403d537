using System.Net;
using Berth.Server.Hosting;
using Berth.Server.Options;
using Berth.Server.Tls;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Server.Tls;

public sealed class ApiServerServingNamesTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => temp.Dispose();

    [Fact]
    public void For_DefaultOptions_HasKubernetesServiceIPAndNames()
    {
        var names = ApiServerServingNames.For(new ServerOptions());
        Assert.Equal(["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"], names.DnsNames);
        Assert.Contains(IPAddress.Parse("127.96.0.1"), names.Addresses);
        Assert.Contains(IPAddress.Loopback, names.Addresses);
    }

    [Fact]
    public void LoadOrCreate_WithServingNames_CertificateCarriesEveryName()
    {
        var names = ApiServerServingNames.For(new ServerOptions());
        var material = ServingCertificates.LoadOrCreate(DataDirectory.Prepare(temp.Path), names.DnsNames, names.Addresses, time);
        using (material.Authority)
        using (material.Serving)
        {
            var (dns, ips) = CertificateFactory.SubjectAlternativeNames(material.Serving);
            Assert.Contains("kubernetes.default.svc.cluster.local", dns);
            Assert.Contains("kubernetes", dns);
            Assert.Contains(IPAddress.Parse("127.96.0.1"), ips);
        }
    }

    [Fact]
    public void LoadOrCreate_OldCertificateWithoutServiceNames_ReissuedUnderSameCa()
    {
        var dir = DataDirectory.Prepare(temp.Path);
        var old = ServingCertificates.LoadOrCreate(dir, ServingCertificates.AddressesFor(IPAddress.Loopback), time);
        var names = ApiServerServingNames.For(new ServerOptions());
        var renewed = ServingCertificates.LoadOrCreate(dir, names.DnsNames, names.Addresses, time);
        using (old.Authority)
        using (old.Serving)
        using (renewed.Authority)
        using (renewed.Serving)
        {
            Assert.Equal(old.Authority.Thumbprint, renewed.Authority.Thumbprint);
            Assert.NotEqual(old.Serving.Thumbprint, renewed.Serving.Thumbprint);
            Assert.True(ServingCertificates.IsUsable(renewed.Serving, renewed.Authority, names.DnsNames, names.Addresses, time.GetUtcNow()));
            var again = ServingCertificates.LoadOrCreate(dir, names.DnsNames, names.Addresses, time);
            using (again.Authority)
            using (again.Serving)
            {
                Assert.Equal(renewed.Serving.Thumbprint, again.Serving.Thumbprint);
            }
        }
    }
}
