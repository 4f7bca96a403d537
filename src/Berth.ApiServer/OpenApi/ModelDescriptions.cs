using System.Text;
using System.Xml;
using k8s.Models;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Descriptions of model types and their properties, read from KubernetesClient's XML documentation
/// (<c>KubernetesClient.xml</c>, copied beside the assembly by the build). The file is streamed once per generated
/// document and only the summaries of the requested types are kept; without the file every description is empty.
/// Summaries are re-flowed into upstream's form: the lines of a paragraph joined by spaces, paragraphs separated by a
/// blank line. Immutable after <see cref="Load"/>.
/// </summary>
internal sealed class ModelDescriptions
{
    private const string TypePrefix = "T:k8s.Models.";
    private const string PropertyPrefix = "P:k8s.Models.";

    private readonly Dictionary<string, string> _byMember;

    private ModelDescriptions(Dictionary<string, string> byMember) => _byMember = byMember;

    /// <summary>No descriptions at all.</summary>
    public static ModelDescriptions Empty { get; } = new([]);

    /// <summary>The documentation file next to KubernetesClient's assembly.</summary>
    public static string DefaultPath => Path.ChangeExtension(typeof(V1Pod).Assembly.Location, ".xml");

    /// <summary>The summaries of <paramref name="models"/> and of their properties; <see cref="Empty"/> without the file.</summary>
    public static ModelDescriptions Load(IEnumerable<Type> models, string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            return Empty;
        }
        var wanted = models.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true });
            while (reader.ReadToFollowing("member"))
            {
                var name = reader.GetAttribute("name");
                if (name is not null && IsWanted(name, wanted) && ReadSummary(reader) is { Length: > 0 } summary)
                {
                    found[name] = summary;
                }
            }
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return Empty;
        }
        return new ModelDescriptions(found);
    }

    /// <summary>The description of <paramref name="model"/>, or null.</summary>
    public string? OfType(Type model) => _byMember.GetValueOrDefault(TypePrefix + model.Name);

    /// <summary>The description of the C# property <paramref name="property"/> of <paramref name="model"/>, or null.</summary>
    public string? OfProperty(Type model, string property) => _byMember.GetValueOrDefault(PropertyPrefix + model.Name + "." + property);

    private static bool IsWanted(string member, HashSet<string> wanted)
    {
        if (member.StartsWith(TypePrefix, StringComparison.Ordinal))
        {
            return wanted.Contains(member[TypePrefix.Length..]);
        }
        if (!member.StartsWith(PropertyPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var dot = member.LastIndexOf('.');
        return dot > PropertyPrefix.Length && wanted.Contains(member[PropertyPrefix.Length..dot]);
    }

    private static string? ReadSummary(XmlReader member)
    {
        using var subtree = member.ReadSubtree();
        if (!subtree.ReadToDescendant("summary"))
        {
            return null;
        }
        var text = new StringBuilder();
        using var summary = subtree.ReadSubtree();
        while (summary.Read())
        {
            if (summary.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                text.Append(summary.Value);
            }
        }
        return Reflow(text.ToString());
    }

    /// <summary>Joins the lines of each paragraph with a space and separates paragraphs by one blank line.</summary>
    internal static string Reflow(string text)
    {
        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                current.Add(trimmed);
            }
            else if (current.Count > 0)
            {
                paragraphs.Add(string.Join(' ', current));
                current.Clear();
            }
        }
        if (current.Count > 0)
        {
            paragraphs.Add(string.Join(' ', current));
        }
        return string.Join("\n\n", paragraphs);
    }
}
