using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Generic;

namespace Berth.UnitTests.Registry.Strategies;

/// <summary>Runs objects through a strategy in the registry's order and renders errors as kubectl prints them.</summary>
internal static class StrategyTestHelpers
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>PrepareForCreate → Default → Validate; returns the errors rendered as <c>field: message</c>.</summary>
    public static List<string> Create(IResourceStrategy strategy, JsonObject obj)
    {
        strategy.PrepareForCreate(obj);
        strategy.Default(obj);
        return Render(strategy.Validate(obj));
    }

    /// <summary>PrepareForUpdate → Default → ValidateUpdate.</summary>
    public static List<string> Update(IResourceStrategy strategy, JsonObject newObj, JsonObject oldObj)
    {
        strategy.PrepareForUpdate(newObj, oldObj);
        strategy.Default(newObj);
        return Render(strategy.ValidateUpdate(newObj, oldObj));
    }

    public static List<string> Render(IReadOnlyList<FieldError> errors) => errors.Select(e => e.ToString()).ToList();

    /// <summary>Applies <paramref name="edit"/> to a deep copy of <paramref name="obj"/>.</summary>
    public static JsonObject With(JsonObject obj, Action<JsonObject> edit)
    {
        var copy = obj.DeepClone().AsObject();
        edit(copy);
        return copy;
    }
}
