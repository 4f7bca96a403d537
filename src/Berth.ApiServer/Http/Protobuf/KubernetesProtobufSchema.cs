using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// The Kubernetes protobuf schemas Berth embeds: message descriptors compiled from the upstream <c>generated.proto</c> files
/// of k8s.io/api (core, apps, batch, policy, discovery, coordination, autoscaling, networking, scheduling, rbac, authorization, storage v1) and k8s.io/apimachinery, plus the
/// per-field JSON facts from the Go struct tags. Loaded once on first use; immutable and thread-safe afterwards.
/// Mirrors the type registration that k8s.io/apimachinery pkg/runtime/serializer/protobuf resolves through the scheme.
/// </summary>
internal sealed class KubernetesProtobufSchema
{
    private const string ApiPackagePrefix = "k8s.io.api.";
    private const string MetaPackage = "k8s.io.apimachinery.pkg.apis.meta.v1";

    private static readonly Lazy<KubernetesProtobufSchema> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, MessageDescriptor> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Message, string Field), ProtobufFieldFacts> _facts;

    private KubernetesProtobufSchema(IEnumerable<FileDescriptor> files, Dictionary<(string, string), ProtobufFieldFacts> facts)
    {
        foreach (var file in files)
        {
            foreach (var message in file.MessageTypes)
            {
                _messages[message.FullName] = message;
            }
        }
        _facts = facts;
    }

    /// <summary>The schema compiled into this assembly (Schemas/kubernetes.protoset and Schemas/fields.tsv).</summary>
    public static KubernetesProtobufSchema Instance => Embedded.Value;

    /// <summary>
    /// The message for an object's <c>apiVersion</c> and <c>kind</c>: group <c>""</c> is package <c>core</c>, other groups use
    /// their first DNS label (<c>discovery.k8s.io</c> → <c>discovery</c>). Options kinds registered in every group
    /// (DeleteOptions) fall back to meta/v1. Null when the schema has no such message.
    /// </summary>
    public MessageDescriptor? FindKind(string apiVersion, string kind)
    {
        if (kind.Length == 0 || apiVersion.Length == 0)
        {
            return null;
        }
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var groupPackage = group.Length == 0 ? "core" : group.Split('.')[0];
        return _messages.GetValueOrDefault($"{ApiPackagePrefix}{groupPackage}.{version}.{kind}")
            ?? (group == "meta.k8s.io" || kind.EndsWith("Options", StringComparison.Ordinal)
                ? _messages.GetValueOrDefault($"{MetaPackage}.{kind}")
                : null);
    }

    /// <summary>A message by its full proto name, e.g. <c>k8s.io.api.apps.v1.Deployment</c>.</summary>
    public MessageDescriptor? FindMessage(string fullName) => _messages.GetValueOrDefault(fullName);

    /// <summary>The JSON facts of a field (<see cref="ProtobufFieldFacts.Default"/> when it has no row).</summary>
    public ProtobufFieldFacts Facts(FieldDescriptor field) =>
        _facts.GetValueOrDefault((field.ContainingType.FullName, field.Name), ProtobufFieldFacts.Default);

    /// <summary>Builds a schema from a serialized FileDescriptorSet (files in dependency order) and a fields.tsv text.</summary>
    public static KubernetesProtobufSchema Load(byte[] descriptorSet, string fieldsTsv)
    {
        var set = FileDescriptorSet.Parser.ParseFrom(descriptorSet);
        var files = FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        return new KubernetesProtobufSchema(files, ParseFacts(fieldsTsv));
    }

    private static Dictionary<(string, string), ProtobufFieldFacts> ParseFacts(string tsv)
    {
        var facts = new Dictionary<(string, string), ProtobufFieldFacts>();
        foreach (var line in tsv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            var columns = line.Split('\t');
            if (columns.Length != 3)
            {
                throw new FormatException($"fields.tsv: expected 3 columns in \"{line}\"");
            }
            facts[(columns[0], columns[1])] = ProtobufFieldFacts.Parse(columns[2]);
        }
        return facts;
    }

    private static KubernetesProtobufSchema LoadEmbedded()
    {
        var assembly = typeof(KubernetesProtobufSchema).Assembly;
        return Load(ReadResource(assembly, "Berth.ApiServer.Protobuf.kubernetes.protoset"),
            System.Text.Encoding.UTF8.GetString(ReadResource(assembly, "Berth.ApiServer.Protobuf.fields.tsv")));
    }

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
