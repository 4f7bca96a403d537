using System.Text.Json;

namespace Berth.ApiServer.Tables;

/// <summary>Where values lie in UTF-8 JSON, found with a forward-only reader (no document). Pure and thread-safe.</summary>
internal static class JsonRanges
{
    /// <summary>
    /// The byte range of the first top-level member <paramref name="name"/> of the object <paramref name="json"/> when
    /// that member is an object; (-1, 0) when the member is absent or not an object, or <paramref name="json"/> is not an object.
    /// Members before it are skipped without being decoded.
    /// </summary>
    /// <exception cref="JsonException">When <paramref name="json"/> is malformed before the member ends.</exception>
    public static (int Start, int Length) TopLevelObject(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (-1, 0);
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return (-1, 0);
                }
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return (start, (int)reader.BytesConsumed - start);
            }
            reader.Skip();
        }
        return (-1, 0);
    }
}
