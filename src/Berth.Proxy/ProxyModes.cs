namespace Berth.Proxy;

/// <summary>The names of <see cref="ProxyMode"/> as <c>--proxy-mode</c> takes them and <c>berth_proxy_mode</c> reports them.</summary>
public static class ProxyModes
{
    public const string Userspace = "userspace", Ebpf = "ebpf";

    public static string Name(ProxyMode mode) => mode == ProxyMode.Ebpf ? Ebpf : Userspace;

    /// <summary>Accepts <c>userspace</c> and <c>ebpf</c>, case-insensitive.</summary>
    public static bool TryParse(string? name, out ProxyMode mode)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case Userspace:
                mode = ProxyMode.Userspace;
                return true;
            case Ebpf:
                mode = ProxyMode.Ebpf;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
