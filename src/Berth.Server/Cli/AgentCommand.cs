using System.CommandLine;
using System.CommandLine.Parsing;
using Berth.Server.Options;

namespace Berth.Server.Cli;

/// <summary>
/// <c>berth agent</c>: a node agent (kubelet, node status and lease, runtime, volumes, pod network) for a remote
/// Berth server. Its flags, their defaults, and binding them to <see cref="AgentOptions"/>; invalid values are parse
/// errors (usage printed, non-zero exit) before anything starts.
/// </summary>
internal sealed class AgentCommand
{
    private static readonly AgentOptions Defaults = new();

    public Option<string> Server { get; } = new("--server")
    {
        Description = "URL of the Berth API server, e.g. https://127.0.0.1:6443",
        HelpName = "URL",
        Required = true,
    };

    public Option<string> TokenFile { get; } = new("--token-file")
    {
        Description = "File holding the bearer token (the server's <data-dir>/token)",
        HelpName = "FILE",
        Required = true,
    };

    public Option<string> NodeName { get; } = new("--node-name")
    {
        Description = "Name of this agent's Node object",
        HelpName = "NAME",
        DefaultValueFactory = _ => Defaults.NodeName,
    };

    public Option<string?> CertificateAuthority { get; } = new("--certificate-authority")
    {
        Description = "PEM CA bundle the server certificate must chain to (default: ca.crt next to the token file)",
        HelpName = "FILE",
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Directory for this node's pods, containers and logs (default: ~/.berth/agent-<node>)",
        HelpName = "DIR",
    };

    public Option<int> KubeletPort { get; } = new("--kubelet-port")
    {
        Description = "HTTPS port serving pod logs and exec to the API server (0 picks a free port)",
        HelpName = "N",
        DefaultValueFactory = _ => Defaults.KubeletPort,
    };

    public Option<string> BindAddress { get; } = new("--bind-address")
    {
        Description = "Address of the kubelet endpoint, also the Node's InternalIP",
        HelpName = "ADDR",
        DefaultValueFactory = _ => Defaults.BindAddress,
    };

    public Option<string> ShutdownGracePeriod { get; } = new("--shutdown-grace-period")
    {
        Description = "How long a stopping agent gives its pods (Go duration: 30s, 5m, 1h30m)",
        HelpName = "DURATION",
        DefaultValueFactory = _ => GoDuration.Format(Defaults.ShutdownGracePeriod),
    };

    public Option<bool> Proxy { get; } = new("--proxy")
    {
        Description = "Also run the service proxy (ClusterIPs and NodePorts on --bind-address); for a server started with --disable-kube-proxy",
    };

    /// <summary>Builds the command; <paramref name="run"/> gets the bound, validated options and returns the exit code.</summary>
    public Command Create(Func<AgentOptions, CancellationToken, Task<int>> run)
    {
        var command = new Command("agent", "Run a node agent for a remote Berth server, so several nodes share one server");
        foreach (var option in new Option[] { Server, TokenFile, NodeName, CertificateAuthority, DataDir, KubeletPort, BindAddress, ShutdownGracePeriod, Proxy })
        {
            command.Options.Add(option);
        }
        ShutdownGracePeriod.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
            if (text is not null && !GoDuration.TryParse(text, out _))
            {
                result.AddError($"invalid duration \"{text}\" for --shutdown-grace-period: use a Go duration such as 30s, 5m or 1h30m");
            }
        });
        command.Validators.Add(result =>
        {
            foreach (var error in BindOptions(result).Validate())
            {
                result.AddError(error);
            }
        });
        command.SetAction((parse, cancellationToken) => run(BindOptions(parse.CommandResult), cancellationToken));
        return command;
    }

    /// <summary>The options a parse of this command describes (values that failed to parse fall back to defaults).</summary>
    public AgentOptions BindOptions(CommandResult result) => new()
    {
        Server = Value(result, Server) ?? "",
        TokenFile = Value(result, TokenFile) ?? "",
        NodeName = Value(result, NodeName) ?? Defaults.NodeName,
        CertificateAuthority = Value(result, CertificateAuthority),
        DataDir = Value(result, DataDir),
        KubeletPort = Value(result, KubeletPort),
        BindAddress = Value(result, BindAddress) ?? Defaults.BindAddress,
        ShutdownGracePeriod = GoDuration.TryParse(Value(result, ShutdownGracePeriod), out var grace) ? grace : Defaults.ShutdownGracePeriod,
        RunProxy = Value(result, Proxy),
    };

    private static T? Value<T>(CommandResult result, Option<T> option)
    {
        try
        {
            return result.GetValue(option);
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }
}
