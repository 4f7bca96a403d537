using System.Globalization;
using System.Text;
using Berth.Machinery.Kinds;
using Berth.Registry;

namespace Berth.Client.Remote;

/// <summary>
/// Builds request URIs (relative to the server) the way client-go's REST client does: the group-version prefix,
/// <c>namespaces/{ns}</c> for namespaced kinds, the resource, name and subresource, and the options as query
/// parameters with meta/v1's names. Pure.
/// </summary>
internal static class RemotePaths
{
    public static string Resource(ResourceKind kind, string? ns, string? name = null, string? subresource = null)
    {
        var path = new StringBuilder(kind.GroupVersionPath);
        if (kind.Namespaced && !string.IsNullOrEmpty(ns))
        {
            path.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }
        path.Append('/').Append(kind.Resource);
        if (name is not null)
        {
            path.Append('/').Append(Uri.EscapeDataString(name));
        }
        if (subresource is not null)
        {
            path.Append('/').Append(subresource);
        }
        return path.ToString();
    }

    /// <summary>List or watch query: selectors, resourceVersion, limit/continue, bookmarks and timeout.</summary>
    public static string List(string path, ListOptions? options, bool watch)
    {
        var query = new Query();
        if (watch)
        {
            query.Add("watch", "true");
        }
        if (options is not null)
        {
            query.Add("labelSelector", options.LabelSelector);
            query.Add("fieldSelector", options.FieldSelector);
            query.Add("resourceVersion", options.ResourceVersion);
            query.Add("limit", options.Limit > 0 ? options.Limit.ToString(CultureInfo.InvariantCulture) : null);
            query.Add("continue", options.Continue);
            query.Add("allowWatchBookmarks", options.AllowWatchBookmarks ? "true" : null);
            query.Add("timeoutSeconds", options.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
        }
        return path + query;
    }

    /// <summary>
    /// Create/update/patch query. fieldValidation is always sent: the HTTP default is Warn, the in-process default
    /// (<see cref="WriteOptions"/>' default) is Ignore, and the remote client must behave like the in-process one.
    /// </summary>
    public static string Write(string path, WriteOptions? options)
    {
        var settings = options ?? new WriteOptions();
        var query = new Query();
        query.Add("dryRun", settings.DryRun ? "All" : null);
        query.Add("fieldManager", settings.FieldManager);
        query.Add("fieldValidation", settings.FieldValidation.ToString());
        query.Add("force", settings.Force ? "true" : null);
        return path + query;
    }

    /// <summary>A query string builder that skips null values and escapes the rest.</summary>
    private sealed class Query
    {
        private readonly StringBuilder _text = new();

        public void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }
            _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        public override string ToString() => _text.ToString();
    }
}
