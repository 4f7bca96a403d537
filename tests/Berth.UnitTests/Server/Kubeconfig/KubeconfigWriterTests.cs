using System.Net;
using Berth.Server.Hosting;
using Berth.Server.Kubeconfig;
using Berth.Server.Tls;
using k8s;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Server.Kubeconfig;

public sealed class KubeconfigWriterTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Write_ProducesConfigTheOfficialClientReads()
    {
        var dir = DataDirectory.Prepare(temp.Path);
        var material = ServingCertificates.LoadOrCreate(dir, ServingCertificates.AddressesFor(IPAddress.Loopback), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var path = KubeconfigWriter.Write(dir, new Uri("https://127.0.0.1:45678/"), material.Authority, "tok-en_1");

        Assert.Equal(SecureFile.Private, TempDirectory.ModeOf(path));
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        Assert.Equal("https://127.0.0.1:45678", config.Host.TrimEnd('/'));
        Assert.Equal("tok-en_1", config.AccessToken);
        Assert.Equal("default", config.Namespace);
        Assert.Equal("berth", config.CurrentContext);
        Assert.False(config.SkipTlsVerify);
        var ca = Assert.Single(config.SslCaCerts);
        Assert.Equal(material.Authority.Thumbprint, ca.Thumbprint);
        material.Serving.Dispose();
        material.Authority.Dispose();
    }

    [Fact]
    public void Render_NamesClusterUserAndContext()
    {
        var dir = DataDirectory.Prepare(temp.Path);
        var material = ServingCertificates.LoadOrCreate(dir, ServingCertificates.AddressesFor(IPAddress.Loopback), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var yaml = KubeconfigWriter.Render(new Uri("https://127.0.0.1:6443"), material.Authority, "t");
        Assert.Contains("current-context: berth", yaml);
        Assert.Contains("server: \"https://127.0.0.1:6443\"", yaml);
        Assert.Contains("namespace: default", yaml);
        Assert.DoesNotContain("insecure-skip-tls-verify", yaml);
        material.Serving.Dispose();
        material.Authority.Dispose();
    }
}
