namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>Which per-container shim starts and supervises containers (see <see cref="NativeShim"/> and <see cref="ContainerShim"/>).</summary>
public enum ContainerShimKind
{
    /// <summary>The native <c>berth-shim</c> when it was built next to the application, else the sh shim.</summary>
    Auto,

    /// <summary>Always the native shim; the runtime refuses to start when the binary is missing.</summary>
    Native,

    /// <summary>Always the sh shim (setsid, unshare and the mount script through util-linux tools).</summary>
    Script,
}
