namespace Berth.Kubelet.Runtime;

/// <summary>
/// A runtime-assigned container id (32 lowercase hex digits). <see cref="ToUri"/> gives the form the API shows in
/// <c>status.containerStatuses[].containerID</c>. Mirrors kubernetes/kubernetes pkg/kubelet/container/runtime.go (ContainerID).
/// </summary>
public readonly record struct ContainerId(string Value)
{
    /// <summary>The runtime type prefix, as "containerd" is for containerd.</summary>
    public const string RuntimeType = "berth";

    public static ContainerId New() => new(Guid.NewGuid().ToString("N"));

    /// <summary>True for a well-formed id; ids also name directories, so nothing else is accepted.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: 32 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary><c>berth://&lt;id&gt;</c>.</summary>
    public string ToUri() => RuntimeType + "://" + Value;

    public override string ToString() => Value;
}
