using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Berth.Server.Tls;

namespace Berth.Server.Hosting;

/// <summary>
/// The TLS part of start-up, run on a thread-pool thread while <see cref="ServerHost.Build"/> runs on the caller's:
/// the CA and serving certificate are loaded or created (<see cref="ServingCertificates.LoadOrCreate"/>), then one
/// TLS handshake between two in-process <see cref="SslStream"/>s over a loopback connection warms OpenSSL and the
/// handshake code, which the first client (the first <c>/readyz</c>) would otherwise pay for after the listener
/// opens. Nothing here depends on the host, and the host reads the material only when Kestrel starts.
/// </summary>
internal static class ServerHostTls
{
    private static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts loading or creating the material. The task faults with what <see cref="ServingCertificates.LoadOrCreate"/>
    /// throws; a failed warm-up handshake is ignored (it only fills caches). The caller owns the returned material.
    /// </summary>
    public static Task<ServingMaterial> PrepareAsync(DataDirectory dir, IPAddress bind, TimeProvider time) =>
        PrepareAsync(dir, new ApiServerServingNames(ServingCertificates.DnsNames, ServingCertificates.AddressesFor(bind)), time);

    /// <summary>As above, for the SANs of <paramref name="names"/> (see <see cref="ApiServerServingNames.For"/>).</summary>
    public static Task<ServingMaterial> PrepareAsync(DataDirectory dir, ApiServerServingNames names, TimeProvider time) => Task.Run(async () =>
    {
        var material = ServingCertificates.LoadOrCreate(dir, names.DnsNames, names.Addresses, time);
        await WarmUpAsync(material.Serving, time).ConfigureAwait(false);
        return material;
    });

    /// <summary>Disposes the material of <paramref name="prepared"/> once it completes, for start-ups that fail before using it.</summary>
    public static async Task DisposeWhenDoneAsync(Task<ServingMaterial> prepared)
    {
        try
        {
            var material = await prepared.ConfigureAwait(false);
            material.Serving.Dispose();
            material.Authority.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            // The start-up is failing already; its own error is the one to report.
        }
    }

    /// <summary>One server/client handshake with <paramref name="serving"/> on 127.0.0.1 (an ephemeral port), offering h2 as Kestrel does.</summary>
    private static async Task WarmUpAsync(X509Certificate2 serving, TimeProvider time)
    {
        using var timeout = new CancellationTokenSource(WarmupLimit, time);
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var client = new TcpClient(AddressFamily.InterNetwork);
            var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token).ConfigureAwait(false);
            await connecting.ConfigureAwait(false);
            await using var server = new SslStream(accepted.GetStream());
            await using var peer = new SslStream(client.GetStream(), false, (_, certificate, _, _) => certificate is not null &&
                certificate.GetCertHashString() == serving.GetCertHashString());
            var protocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http2, SslApplicationProtocol.Http11 };
            var handshake = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(serving, null), ApplicationProtocols = protocols,
            }, timeout.Token);
            await peer.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = protocols },
                timeout.Token).ConfigureAwait(false);
            await handshake.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException)
        {
            // Best effort: the listener's own handshakes do not depend on it.
        }
    }
}
