using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Berth.E2ETests;

/// <summary>An HttpClient for a <see cref="BerthProcess"/>: trusts only its CA and sends its bearer token.</summary>
public static class BerthHttp
{
    public static HttpClient Create(BerthProcess server, bool withToken = true)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(server.DataDir, "ca.crt")));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null)
                    {
                        return false;
                    }
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(cert));
                },
            },
        };
        var client = new HttpClient(handler) { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        if (withToken)
        {
            var token = File.ReadAllText(Path.Combine(server.DataDir, "token")).Trim();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }
}
