namespace Berth.Registry.Core.ServiceAccounts;

/// <summary>The name and uid of an object a token is bound to (its pod or secret).</summary>
public sealed record BoundObject(string Name, string Uid);

/// <summary>
/// What a ServiceAccount token says: whose it is (namespace, name and uid of the account), what it is bound to, for
/// which audiences, and when it is valid. Immutable.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/serviceaccount/claims.go (the private <c>kubernetes.io</c> claim) and the user it maps to (UserInfo).</remarks>
public sealed record ServiceAccountTokenClaims(
    string Namespace,
    string ServiceAccountName,
    string ServiceAccountUid,
    BoundObject? Pod,
    BoundObject? Secret,
    IReadOnlyList<string> Audiences,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expires)
{
    /// <summary>The prefix of every ServiceAccount user name.</summary>
    public const string UserPrefix = "system:serviceaccount:";

    /// <summary><c>system:serviceaccount:NS:NAME</c>, the token's <c>sub</c> and the user it authenticates as.</summary>
    public string Subject => UserPrefix + Namespace + ":" + ServiceAccountName;

    /// <summary>The user's groups, as upstream's ServiceAccount authenticator reports them.</summary>
    public IReadOnlyList<string> Groups => ["system:serviceaccounts", "system:serviceaccounts:" + Namespace, "system:authenticated"];
}
