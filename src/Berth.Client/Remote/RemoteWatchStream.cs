using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Client.Remote;

/// <summary>
/// Reads a streaming JSON watch reply (one <c>{"type":…,"object":…}</c> per line) into <see cref="ApiWatchEvent"/>s.
/// An ERROR event carrying 410 as the very first event is how the server reports a too-old resourceVersion on a
/// 200 stream; it is thrown as that <c>ApiException</c>, so callers see what the in-process client raises. Later
/// ERROR events are yielded. The stream ends at end of body. Single reader; not thread-safe.
/// Mirrors k8s.io/apimachinery pkg/watch StreamWatcher with the json framer.
/// </summary>
internal static class RemoteWatchStream
{
    public static async IAsyncEnumerable<ApiWatchEvent> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024);
        var first = true;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var ev = Parse(line);
            if (first && ev.Type == ApiWatchEventType.Error && ev.Object.GetLong("code") == 410)
            {
                throw RemoteStatus.FromStatus(ev.Object, 410);
            }
            first = false;
            yield return ev;
        }
    }

    /// <summary>One event line. Throws <see cref="JsonException"/> for a malformed line (the watch is then broken).</summary>
    public static ApiWatchEvent Parse(string line)
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("a watch event must be a JSON object");
        var type = node.GetString("type") switch
        {
            "ADDED" => ApiWatchEventType.Added,
            "MODIFIED" => ApiWatchEventType.Modified,
            "DELETED" => ApiWatchEventType.Deleted,
            "BOOKMARK" => ApiWatchEventType.Bookmark,
            "ERROR" => ApiWatchEventType.Error,
            var other => throw new JsonException($"unknown watch event type \"{other}\""),
        };
        var obj = node["object"] as JsonObject ?? throw new JsonException("a watch event must carry an object");
        node.Remove("object");
        return new ApiWatchEvent(type, obj);
    }
}
