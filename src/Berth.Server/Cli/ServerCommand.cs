using System.CommandLine;
using System.CommandLine.Parsing;
using Berth.Server.Options;

namespace Berth.Server.Cli;

/// <summary>
/// <c>berth server</c>: its flags, their defaults, and binding them to <see cref="ServerOptions"/>. Invalid values
/// are parse errors (usage printed, non-zero exit) before the server is started.
/// </summary>
internal sealed class ServerCommand
{
    private static readonly ServerOptions Defaults = new();

    public Option<string> DataDir { get; } = new("--data-dir")
    {
        Description = "Directory for the CA, serving certificate, token, kubeconfig and database",
        HelpName = "DIR",
        DefaultValueFactory = _ => Defaults.DataDir,
    };

    public Option<int> Port { get; } = new("--port")
    {
        Description = "HTTPS port of the API server (0 picks a free port)",
        HelpName = "N",
        DefaultValueFactory = _ => Defaults.Port,
    };

    public Option<string> Bind { get; } = new("--bind")
    {
        Description = "The only address the API server listens on",
        HelpName = "ADDR",
        DefaultValueFactory = _ => Defaults.BindAddress,
    };

    public Option<string> Store { get; } = new("--store")
    {
        Description = "Object store: sqlite (in the data dir) or memory (lost on exit)",
        DefaultValueFactory = _ => "sqlite",
    };

    public Option<string> NodeName { get; } = new("--node-name")
    {
        Description = "Name of this machine's Node object",
        HelpName = "NAME",
        DefaultValueFactory = _ => Defaults.NodeName,
    };

    public Option<string> ClusterCidr { get; } = new("--cluster-cidr")
    {
        Description = "Range the per-node pod address ranges (/24 each) are allocated from",
        HelpName = "CIDR",
        DefaultValueFactory = _ => Defaults.ClusterCidr,
    };

    public Option<string> HistoryRetention { get; } = DurationOption("--history-retention",
        "How long superseded revisions stay watchable before compaction", Defaults.HistoryRetention);

    public Option<string> ShutdownGracePeriod { get; } = DurationOption("--shutdown-grace-period",
        "How long a stopping server waits for pods and connections", Defaults.ShutdownGracePeriod);

    public Option<string> ServiceClusterIPRange { get; } = new("--service-cluster-ip-range")
    {
        Description = "CIDR Service cluster IPs are allocated from (must not overlap the pod range)",
        HelpName = "CIDR",
        DefaultValueFactory = _ => Defaults.ServiceClusterIPRange,
    };

    public Option<string> ServiceNodePortRange { get; } = new("--service-node-port-range")
    {
        Description = "Port range Service node ports are allocated from",
        HelpName = "LOW-HIGH",
        DefaultValueFactory = _ => Defaults.ServiceNodePortRange,
    };

    public Option<string> ClusterDns { get; } = new("--cluster-dns")
    {
        Description = "Address the cluster DNS server listens on (UDP and TCP)",
        HelpName = "ADDR",
        DefaultValueFactory = _ => Defaults.ClusterDns,
    };

    public Option<int> DnsPort { get; } = new("--dns-port")
    {
        Description = "Port of the cluster DNS server (0 turns cluster DNS off)",
        HelpName = "N",
        DefaultValueFactory = _ => Defaults.DnsPort,
    };

    public Option<string> ClusterDomain { get; } = new("--cluster-domain")
    {
        Description = "Domain that cluster DNS answers for",
        HelpName = "DOMAIN",
        DefaultValueFactory = _ => Defaults.ClusterDomain,
    };

    public Option<bool> DisableKubeProxy { get; } = new("--disable-kube-proxy")
    {
        Description = "Do not run the service proxy in this process (a berth agent --proxy serves the ClusterIPs instead)",
    };

    public Option<string> ProxyMode { get; } = new("--proxy-mode")
    {
        Description = "Data path of ClusterIP connections: ebpf (default: kernel socket load balancing; needs root and cgroup2, falls back to userspace with a warning) or userspace",
    };

    public Option<bool> WarmUpPodPath { get; } = new("--warm-up-pod-path")
    {
        Description = "Once ready, run the pod-creation path once without creating anything, so the first pods start faster (~5 MiB more memory)",
    };

    public Option<int> MaxPodStartsInflight { get; } = new("--max-pod-starts-inflight")
    {
        Description = "Pods created for this node and not yet taken up by it before further pod creates wait, first come first served, at most 1 s (0: never wait; default 6 per core, at least 12)",
        DefaultValueFactory = _ => ServerOptions.DefaultMaxPodStartsInflight,
    };

    /// <summary>Builds the command; <paramref name="run"/> gets the bound, validated options and returns the exit code.</summary>
    public Command Create(Func<ServerOptions, CancellationToken, Task<int>> run)
    {
        Store.AcceptOnlyFromAmong("sqlite", "memory");
        var command = new Command("server", "Run the API server, controllers and kubelet on this machine");
        foreach (var option in new Option[] { DataDir, Port, Bind, Store, NodeName, ClusterCidr, HistoryRetention, ShutdownGracePeriod })
        {
            command.Options.Add(option);
        }
        AddCheck(Port, port => new ServerOptions { Port = port });
        AddCheck(Bind, bind => new ServerOptions { BindAddress = bind ?? "" });
        AddCheck(NodeName, name => new ServerOptions { NodeName = name ?? "" });
        AddCheck(ClusterCidr, cidr => new ServerOptions { ClusterCidr = cidr ?? "" });
        AddCheck(HistoryRetention, retention =>
            GoDuration.TryParse(retention, out var value) ? new ServerOptions { HistoryRetention = value } : new ServerOptions());
        AddCheck(ShutdownGracePeriod, grace =>
            GoDuration.TryParse(grace, out var value) ? new ServerOptions { ShutdownGracePeriod = value } : new ServerOptions());
        command.Options.Add(ServiceClusterIPRange);
        command.Options.Add(ServiceNodePortRange);
        AddCheck(ServiceClusterIPRange, cidr => new ServerOptions { ServiceClusterIPRange = cidr ?? "" });
        AddCheck(ServiceNodePortRange, range => new ServerOptions { ServiceNodePortRange = range ?? "" });
        AddClusterDnsOptions(command);
        command.Options.Add(DisableKubeProxy);
        ProxyMode.AcceptOnlyFromAmong(Berth.Proxy.ProxyModes.Userspace, Berth.Proxy.ProxyModes.Ebpf);
        command.Options.Add(ProxyMode);
        command.Options.Add(WarmUpPodPath);
        command.Options.Add(MaxPodStartsInflight);
        AddCheck(MaxPodStartsInflight, max => new ServerOptions { MaxPodStartsInflight = max });
        command.SetAction((parse, cancellationToken) => run(BindOptions(parse), cancellationToken));
        return command;
    }

    /// <summary>The options a successful parse of this command describes.</summary>
    public ServerOptions BindOptions(ParseResult parse) =>
        BindClusterDns(parse, Build(parse.GetValue(DataDir), parse.GetValue(Port), parse.GetValue(Bind), parse.GetValue(Store),
            parse.GetValue(NodeName), parse.GetValue(HistoryRetention), parse.GetValue(ShutdownGracePeriod)) with
        {
            ServiceClusterIPRange = parse.GetValue(ServiceClusterIPRange) ?? Defaults.ServiceClusterIPRange,
            ServiceNodePortRange = parse.GetValue(ServiceNodePortRange) ?? Defaults.ServiceNodePortRange,
            ClusterCidr = parse.GetValue(ClusterCidr) ?? Defaults.ClusterCidr,
            DisableKubeProxy = parse.GetValue(DisableKubeProxy),
            ProxyMode = Berth.Proxy.ProxyModes.TryParse(parse.GetValue(ProxyMode), out var mode) ? mode : Berth.Proxy.ProxyMode.Ebpf,
            WarmUpPodPath = parse.GetValue(WarmUpPodPath),
            MaxPodStartsInflight = parse.GetValue(MaxPodStartsInflight),
        });

    private void AddClusterDnsOptions(Command command)
    {
        command.Options.Add(ClusterDns);
        command.Options.Add(DnsPort);
        command.Options.Add(ClusterDomain);
        AddCheck(ClusterDns, dns => new ServerOptions { ClusterDns = dns ?? "" });
        AddCheck(DnsPort, port => new ServerOptions { DnsPort = port });
        AddCheck(ClusterDomain, domain => new ServerOptions { ClusterDomain = domain ?? "" });
    }

    private ServerOptions BindClusterDns(ParseResult parse, ServerOptions options) => options with
    {
        ClusterDns = parse.GetValue(ClusterDns) ?? Defaults.ClusterDns,
        DnsPort = parse.GetValue(DnsPort),
        ClusterDomain = parse.GetValue(ClusterDomain) ?? Defaults.ClusterDomain,
    };

    private static ServerOptions Build(string? dataDir, int port, string? bind, string? store, string? nodeName,
        string? historyRetention, string? shutdownGracePeriod) => new()
    {
        DataDir = dataDir ?? Defaults.DataDir,
        Port = port,
        BindAddress = bind ?? Defaults.BindAddress,
        Store = store == "memory" ? StoreBackend.Memory : StoreBackend.Sqlite,
        NodeName = nodeName ?? Defaults.NodeName,
        HistoryRetention = historyRetention is null ? Defaults.HistoryRetention : ParseDuration(historyRetention),
        ShutdownGracePeriod = shutdownGracePeriod is null ? Defaults.ShutdownGracePeriod : ParseDuration(shutdownGracePeriod),
    };

    /// <summary>
    /// Validates a flag the user gave by checking <see cref="ServerOptions.Validate"/> on otherwise-default options, so
    /// the CLI and the in-process API share one set of rules and a bad value is a parse error (usage, exit 1).
    /// </summary>
    private static void AddCheck<T>(Option<T> option, Func<T?, ServerOptions> withValue) =>
        option.Validators.Add(result =>
        {
            T? value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                // The value did not convert; the parser has already reported that error.
                return;
            }
            foreach (var error in withValue(value).Validate())
            {
                result.AddError(error);
            }
        });

    /// <summary>A duration flag in Go syntax; a value that does not parse is a parse error naming the flag.</summary>
    private static Option<string> DurationOption(string name, string description, TimeSpan defaultValue)
    {
        var option = new Option<string>(name)
        {
            Description = $"{description} (Go duration: 30s, 5m, 1h30m)",
            HelpName = "DURATION",
            DefaultValueFactory = _ => GoDuration.Format(defaultValue),
        };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
            if (text is not null && !GoDuration.TryParse(text, out _))
            {
                result.AddError($"invalid duration \"{text}\" for {name}: use a Go duration such as 30s, 5m or 1h30m");
            }
        });
        return option;
    }

    /// <summary>Parses a duration the validators have already accepted; an unparsable one becomes <see cref="TimeSpan.MinValue"/>, which <see cref="ServerOptions.Validate"/> rejects.</summary>
    private static TimeSpan ParseDuration(string? text) =>
        GoDuration.TryParse(text, out var value) ? value : TimeSpan.MinValue;
}
