namespace Berth.ApiServer.Health;

/// <summary>
/// The gates behind <c>/readyz</c>. The host sets them in startup order: <see cref="MarkStoreOpen"/> once the store
/// is open, <see cref="MarkBootstrapComplete"/> once every hosted service (bootstrap controllers included) has
/// started, and <see cref="MarkStopping"/> from <c>ApplicationStopping</c>, so readiness fails before Kestrel drains.
/// Gates only move forward. Thread-safe (a DI singleton).
/// </summary>
/// <remarks>Mirrors the readyz checks of kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/server/healthz.</remarks>
public sealed class ServerReadiness
{
    private volatile bool storeOpen;
    private volatile bool bootstrapComplete;
    private volatile bool stopping;

    public bool IsReady => storeOpen && bootstrapComplete && !stopping;

    public void MarkStoreOpen() => storeOpen = true;

    public void MarkBootstrapComplete() => bootstrapComplete = true;

    public void MarkStopping() => stopping = true;

    /// <summary>Each named check with whether it passes, in a fixed order, for the verbose readyz body.</summary>
    public IReadOnlyList<(string Name, bool Passed)> Checks() =>
    [
        ("ping", true),
        ("store", storeOpen),
        ("bootstrap", bootstrapComplete),
        ("shutdown", !stopping),
    ];
}
