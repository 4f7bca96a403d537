using System.Security.Cryptography.X509Certificates;

namespace Berth.Server.Tls;

/// <summary>The CA that clients trust and the certificate Kestrel serves. Both carry private keys; owned by the running server.</summary>
public sealed record ServingMaterial(X509Certificate2 Authority, X509Certificate2 Serving);
