using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Server.Hosting;
using Berth.Server.Tls;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Server.Tls;

public sealed class ServingCertificatesTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => temp.Dispose();

    private ServingMaterial Load(string bind = "127.0.0.1") =>
        ServingCertificates.LoadOrCreate(DataDirectory.Prepare(temp.Path), ServingCertificates.AddressesFor(IPAddress.Parse(bind)), time);

    [Fact]
    public void LoadOrCreate_FirstStart_ServingCertHasLoopbackAndBindSans()
    {
        using var material = Disposable(Load("127.0.0.5"));
        var (dns, ips) = CertificateFactory.SubjectAlternativeNames(material.Value.Serving);
        Assert.Contains("localhost", dns);
        Assert.Contains(IPAddress.Loopback, ips);
        Assert.Contains(IPAddress.Parse("127.0.0.5"), ips);
        Assert.True(material.Value.Serving.HasPrivateKey);
    }

    [Fact]
    public void LoadOrCreate_FirstStart_ServingCertChainsToCa()
    {
        using var material = Disposable(Load());
        var ca = material.Value.Authority;
        Assert.Contains(ca.Extensions.OfType<X509BasicConstraintsExtension>(), e => e.CertificateAuthority);
        Assert.True(ServingCertificates.IsUsable(material.Value.Serving, ca, ServingCertificates.AddressesFor(IPAddress.Loopback), time.GetUtcNow()));
        Assert.Equal(ca.Subject, material.Value.Serving.Issuer);
    }

    [Fact]
    public void LoadOrCreate_WritesPemFilesWithPrivateKeyModes()
    {
        using var material = Disposable(Load());
        var dir = DataDirectory.Prepare(temp.Path);
        Assert.Equal(SecureFile.Private, TempDirectory.ModeOf(dir.CaKey));
        Assert.Equal(SecureFile.Private, TempDirectory.ModeOf(dir.ServerKey));
        Assert.Equal(SecureFile.Public, TempDirectory.ModeOf(dir.CaCertificate));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(dir.ServerCertificate));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(dir.ServerKey));
    }

    [Fact]
    public void LoadOrCreate_SecondStart_ReusesBothCertificates()
    {
        using var first = Disposable(Load());
        using var second = Disposable(Load());
        Assert.Equal(first.Value.Authority.Thumbprint, second.Value.Authority.Thumbprint);
        Assert.Equal(first.Value.Serving.Thumbprint, second.Value.Serving.Thumbprint);
    }

    [Fact]
    public void LoadOrCreate_BindChanged_ReissuesServingKeepsCa()
    {
        using var first = Disposable(Load("127.0.0.1"));
        using var second = Disposable(Load("127.0.0.9"));
        Assert.Equal(first.Value.Authority.Thumbprint, second.Value.Authority.Thumbprint);
        Assert.NotEqual(first.Value.Serving.Thumbprint, second.Value.Serving.Thumbprint);
        Assert.Contains(IPAddress.Parse("127.0.0.9"), CertificateFactory.SubjectAlternativeNames(second.Value.Serving).Addresses);
    }

    [Fact]
    public void LoadOrCreate_NearExpiry_ReissuesServing()
    {
        using var first = Disposable(Load());
        time.Advance(CertificateFactory.ServingLifetime - TimeSpan.FromDays(10));
        using var second = Disposable(Load());
        Assert.NotEqual(first.Value.Serving.Thumbprint, second.Value.Serving.Thumbprint);
        Assert.True(second.Value.Serving.NotAfter > time.GetUtcNow().AddDays(300));
    }

    [Fact]
    public void LoadOrCreate_DamagedCa_Throws()
    {
        using (Disposable(Load()))
        {
        }
        File.WriteAllText(DataDirectory.Prepare(temp.Path).CaKey, "garbage");
        Assert.Throws<InvalidOperationException>(() => Load());
    }

    [Fact]
    public void AddressesFor_AnyAddress_HasOnlyLoopback()
    {
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], ServingCertificates.AddressesFor(IPAddress.Any));
    }

    private static DisposableMaterial Disposable(ServingMaterial material) => new(material);

    private sealed class DisposableMaterial(ServingMaterial value) : IDisposable
    {
        public ServingMaterial Value { get; } = value;

        public void Dispose()
        {
            Value.Serving.Dispose();
            Value.Authority.Dispose();
        }
    }
}
