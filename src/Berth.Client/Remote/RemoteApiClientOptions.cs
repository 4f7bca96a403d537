using System.Security.Cryptography.X509Certificates;

namespace Berth.Client.Remote;

/// <summary>
/// Where a <see cref="RemoteApiClient"/> connects and how it proves and checks identities: the server's base URL, the
/// bearer token it sends, and the CA bundle the server's certificate must chain to. There is no option to skip
/// certificate validation. Immutable; read once by the client's constructor.
/// </summary>
public sealed class RemoteApiClientOptions
{
    /// <summary>The API server, e.g. <c>https://127.0.0.1:6443</c>. Must be https.</summary>
    public required Uri Server { get; init; }

    /// <summary>The bearer token sent with every request (never logged).</summary>
    public required string Token { get; init; }

    /// <summary>The trusted roots (a PEM bundle's certificates); the server certificate must chain to one of them.</summary>
    public required X509Certificate2Collection CertificateAuthorities { get; init; }

    /// <summary>Bound on every non-watch request, including reading its reply. Watches end only by timeoutSeconds or cancellation.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock for the request timeouts.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads the token from <paramref name="tokenFile"/> (trimmed) and the CA bundle from <paramref name="caFile"/> (PEM).</summary>
    /// <exception cref="IOException">A file is missing, unreadable or empty.</exception>
    public static RemoteApiClientOptions FromFiles(Uri server, string tokenFile, string caFile)
    {
        var token = File.ReadAllText(tokenFile).Trim();
        if (token.Length == 0)
        {
            throw new IOException($"the token file {tokenFile} is empty");
        }
        return new RemoteApiClientOptions { Server = server, Token = token, CertificateAuthorities = CaBundle.Load(caFile) };
    }
}
