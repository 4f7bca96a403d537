namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// What the Go type of one protobuf field says about its JSON form, which the <c>.proto</c> schema does not carry
/// (read from the struct tags by scripts/regenerate-protobuf-schemas.sh into Schemas/fields.tsv).
/// </summary>
/// <param name="JsonName">The JSON member name; null when it equals the proto field name; <c>-</c> when never in JSON.</param>
/// <param name="Pointer">A Go pointer: the field is on the wire only when set, so a zero value is a real value (<c>replicas: 0</c>).</param>
/// <param name="Always">No <c>omitempty</c>: Go's JSON emits the zero value too.</param>
/// <param name="Inline">An embedded struct whose fields JSON merges into the parent (<c>Volume.volumeSource</c>).</param>
internal sealed record ProtobufFieldFacts(string? JsonName, bool Pointer, bool Always, bool Inline)
{
    /// <summary>A field with no row: JSON name = proto name, <c>omitempty</c>, not a pointer.</summary>
    public static readonly ProtobufFieldFacts Default = new(null, false, false, false);

    /// <summary>Zero scalars are dropped (Go's <c>omitempty</c>) unless the field is a pointer or has no omitempty.</summary>
    public bool KeepsZero => Pointer || Always;

    /// <summary>Parses the flags column: <c>ptr</c>, <c>always</c>, <c>inline</c>, <c>json=&lt;name&gt;</c>, comma-separated.</summary>
    public static ProtobufFieldFacts Parse(string flags)
    {
        var facts = Default;
        foreach (var flag in flags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            facts = flag switch
            {
                "ptr" => facts with { Pointer = true },
                "always" => facts with { Always = true },
                "inline" => facts with { Inline = true },
                _ when flag.StartsWith("json=", StringComparison.Ordinal) => facts with { JsonName = flag["json=".Length..] },
                _ => throw new FormatException($"unknown protobuf field flag \"{flag}\""),
            };
        }
        return facts;
    }
}
