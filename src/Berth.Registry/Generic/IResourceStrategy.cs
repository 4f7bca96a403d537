using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Registry.Generic;

/// <summary>
/// Per-kind rules the generic registry calls around every write. Objects are in storage form (JSON).
/// Mirrors k8s.io/apiserver pkg/registry/rest/{create,update,delete}.go (RESTCreateStrategy, RESTUpdateStrategy,
/// RESTGracefulDeleteStrategy).
/// </summary>
/// <remarks>
/// Order on create: PrepareForCreate → Default → Validate → (store). On update (PUT or PATCH result):
/// PrepareForUpdate → Default → ValidateUpdate → (store). Strategies are stateless and thread-safe.
/// </remarks>
public interface IResourceStrategy
{
    ResourceKind Kind { get; }

    /// <summary>True when <c>metadata.generation</c> starts at 1 and rises on every spec change.</summary>
    bool TracksGeneration { get; }

    /// <summary>True when a PUT of a missing object creates it (upstream: false for almost every kind).</summary>
    bool AllowCreateOnUpdate { get; }

    /// <summary>Normalises a new object before defaulting: clears status, sets the initial phase. May mutate.</summary>
    void PrepareForCreate(JsonObject obj);

    /// <summary>
    /// Keeps what a main-resource update may not change: for kinds with a status subresource the new object's
    /// status is replaced by the old one's. May mutate <paramref name="newObj"/> only.
    /// </summary>
    void PrepareForUpdate(JsonObject newObj, JsonObject oldObj);

    /// <summary>Applies the API defaults (upstream SetDefaults_*). Idempotent. May mutate.</summary>
    void Default(JsonObject obj);

    /// <summary>Validation on create. Must not mutate. Field paths and messages are upstream's.</summary>
    IReadOnlyList<FieldError> Validate(JsonObject obj);

    /// <summary>Validation on update, including immutable fields. Must not mutate either object.</summary>
    IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj);

    /// <summary>For the <c>/status</c> subresource: keep everything but status from the old object. May mutate <paramref name="newObj"/>.</summary>
    void PrepareForStatusUpdate(JsonObject newObj, JsonObject oldObj);

    IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject newObj, JsonObject oldObj);

    /// <summary>
    /// For kinds with graceful deletion (pods): the grace period in seconds to use, given the requested one
    /// (null when the request did not say). Returns null for kinds that are deleted at once.
    /// Mirrors podStrategy.CheckGracefulDelete (kubernetes-termination.md §1.1).
    /// </summary>
    long? CheckGracefulDelete(JsonObject obj, long? requestedGracePeriodSeconds);

    /// <summary>
    /// The value of a selectable field (<c>metadata.name</c>, <c>spec.nodeName</c>, <c>status.phase</c>…) for field
    /// selectors, or null when the kind does not support that field (the caller answers 400).
    /// </summary>
    string? GetSelectableField(JsonObject obj, string field);
}
