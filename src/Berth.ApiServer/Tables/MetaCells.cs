using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.ApiServer.Tables;

/// <summary>The Name and Age cells every printer starts or ends with, read from <c>metadata</c>.</summary>
internal static class MetaCells
{
    /// <summary><c>metadata.name</c>, or "" when absent.</summary>
    public static string Name(JsonObject obj) => obj.Obj("metadata").StrOrEmpty("name");

    /// <summary>The age of <c>metadata.creationTimestamp</c> at <paramref name="now"/>; <c>&lt;unknown&gt;</c> when absent.</summary>
    public static string Age(JsonObject obj, DateTimeOffset now) =>
        Timestamps.Since(obj.Obj("metadata").Str("creationTimestamp"), now);

    /// <summary>True when <c>metadata.deletionTimestamp</c> is set.</summary>
    public static bool IsDeleting(JsonObject obj) => obj.Obj("metadata").Has("deletionTimestamp");

    /// <inheritdoc cref="Name(JsonObject)"/>
    public static string Name(JsonElement obj) => obj.Obj("metadata").StrOrEmpty("name");

    /// <inheritdoc cref="Age(JsonObject, DateTimeOffset)"/>
    public static string Age(JsonElement obj, DateTimeOffset now) => Timestamps.Since(obj.Obj("metadata").Str("creationTimestamp"), now);

    /// <inheritdoc cref="IsDeleting(JsonObject)"/>
    public static bool IsDeleting(JsonElement obj) => obj.Obj("metadata").Has("deletionTimestamp");
}
