using System.Collections.Immutable;

namespace Berth.Registry.Rbac;

/// <summary>
/// What one binding gives one subject: the rules of the role it references, resolved when the snapshot was built, or
/// the error resolving it (the role does not exist). <see cref="Description"/> names the binding, role and subject as
/// upstream's allowed-by reasons do (<c>RoleBinding "read/default" of Role "reader" to User "jane"</c>). Immutable.
/// </summary>
public sealed record RbacGrant(string Description, ImmutableArray<PolicyRule> Rules, string? Error);
