namespace Berth.Server.Options;

/// <summary>
/// Settings of <c>berth agent</c>, one property per flag. Immutable. <see cref="Validate"/> checks them and
/// <see cref="ResolveCertificateAuthority"/> finds the CA bundle the server's certificate must chain to.
/// </summary>
public sealed record AgentOptions
{
    /// <summary>The API server's URL (<c>--server</c>), https only.</summary>
    public string Server { get; init; } = "";

    /// <summary>File holding the bearer token (<c>--token-file</c>), e.g. the server's <c>&lt;data-dir&gt;/token</c>.</summary>
    public string TokenFile { get; init; } = "";

    /// <summary>This node's name (<c>--node-name</c>), the host name by default.</summary>
    public string NodeName { get; init; } = ServerOptions.DefaultNodeName();

    /// <summary>PEM CA bundle (<c>--certificate-authority</c>); null means <c>ca.crt</c> next to the token file.</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>The agent's state directory (<c>--data-dir</c>); null means <c>~/.berth/agent-&lt;node&gt;</c>.</summary>
    public string? DataDir { get; init; }

    /// <summary>HTTPS port of the agent's kubelet endpoint (<c>--kubelet-port</c>, pod logs and exec for the API server); 0 picks a free port.</summary>
    public int KubeletPort { get; init; } = 10250;

    /// <summary>The address the kubelet endpoint listens on and the Node's InternalIP (<c>--bind-address</c>).</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>How long a stopping agent gives its pods (<c>--shutdown-grace-period</c>).</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>--proxy</c>: run the service proxy next to this kubelet, as kube-proxy runs on every node. Off by default:
    /// every node of one machine shares its loopback, so the server's proxy already serves every ClusterIP; turn it
    /// on when the server runs with <c>--disable-kube-proxy</c>.
    /// </summary>
    public bool RunProxy { get; init; }

    /// <summary>The state directory actually used.</summary>
    public string EffectiveDataDir() =>
        DataDir ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".berth", "agent-" + NodeName);

    /// <summary>
    /// The CA bundle path: <see cref="CertificateAuthority"/>, else <c>ca.crt</c> in the token file's directory (what
    /// <c>berth server</c> writes into its data dir). Throws <see cref="FileNotFoundException"/> naming both choices when it does not exist.
    /// </summary>
    public string ResolveCertificateAuthority()
    {
        if (CertificateAuthority is { } explicitPath)
        {
            return File.Exists(explicitPath)
                ? explicitPath
                : throw new FileNotFoundException($"the certificate authority file {explicitPath} (--certificate-authority) does not exist", explicitPath);
        }
        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(TokenFile)) ?? ".", "ca.crt");
        return File.Exists(beside)
            ? beside
            : throw new FileNotFoundException(
                $"no certificate authority: --certificate-authority was not given and {beside} (next to the token file) does not exist", beside);
    }

    /// <summary>Every problem with these options, as messages for the user; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(Server, UriKind.Absolute, out var server) || server.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"--server must be an https URL such as https://127.0.0.1:6443, got \"{Server}\"");
        }
        if (string.IsNullOrWhiteSpace(TokenFile))
        {
            errors.Add("--token-file is required");
        }
        if (string.IsNullOrWhiteSpace(NodeName) || !IsDnsSubdomain(NodeName))
        {
            errors.Add($"--node-name must be a lowercase DNS subdomain (a-z, 0-9, '-', '.'), got \"{NodeName}\"");
        }
        if (DataDir is { } dir && string.IsNullOrWhiteSpace(dir))
        {
            errors.Add("--data-dir must not be empty");
        }
        if (KubeletPort is < 0 or > 65535)
        {
            errors.Add($"--kubelet-port must be between 0 and 65535, got {KubeletPort}");
        }
        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"--bind-address must be an IP address, got \"{BindAddress}\"");
        }
        if (ShutdownGracePeriod < TimeSpan.Zero)
        {
            errors.Add("--shutdown-grace-period must not be negative");
        }
        return errors;
    }

    private static bool IsDnsSubdomain(string name) =>
        name.Length <= 253 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
}
