namespace Berth.Registry.Generic;

/// <summary>Tunables of the generic registry. Defaults follow upstream where it has one.</summary>
public sealed class RegistryOptions
{
    /// <summary>
    /// How often an idle watch with <c>allowWatchBookmarks=true</c> gets a BOOKMARK. Upstream's cacher sends one at
    /// least every minute (and shortly before a watch's timeout); we do the same.
    /// </summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long before a watch's <c>timeoutSeconds</c> deadline the final bookmark goes out (upstream: 2 s).</summary>
    public TimeSpan BookmarkBeforeDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts of a read-modify-write before it gives up with 409 Conflict (upstream retries without bound).</summary>
    public int MaxUpdateAttempts { get; set; } = 64;

    /// <summary>Create attempts with a fresh generated name when <c>generateName</c> collides (upstream: 8).</summary>
    public int MaxNameGenerationAttempts { get; set; } = 8;

    /// <summary>
    /// Signs the tokens of <c>serviceaccounts/{name}/token</c> (TokenRequest). Null (the default, e.g. in tests that
    /// need no tokens): the subresource answers 405. When set, pod creates also pass ServiceAccount admission
    /// (the <c>kube-api-access-*</c> token volume, <see cref="Core.ServiceAccounts.ServiceAccountAdmission"/>).
    /// </summary>
    public Core.ServiceAccounts.ServiceAccountTokenIssuer? TokenIssuer { get; set; }

    /// <summary>
    /// Pod-start flow control (<see cref="Core.Pods.PodStartQueue"/>): pod creates for the local node wait while its
    /// seats are taken. Null (the default, and without an in-process node): creates never wait.
    /// </summary>
    public Core.Pods.PodStartQueue? PodStarts { get; set; }
}
