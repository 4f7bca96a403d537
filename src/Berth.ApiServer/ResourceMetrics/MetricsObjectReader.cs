using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// Reads <c>PodMetrics</c> and <c>NodeMetrics</c> back into usage records: the inverse of <see cref="MetricsObjects"/>,
/// for the figures a standalone agent serves. Pure; an item it cannot read is skipped by the caller (null).
/// </summary>
public static class MetricsObjectReader
{
    public static PodUsage? Pod(JsonObject item)
    {
        var name = item.GetString("metadata", "name");
        var ns = item.GetString("metadata", "namespace");
        if (name is null || ns is null || !Instant(item, out var timestamp, out var window))
        {
            return null;
        }
        var containers = new List<ContainerUsage>();
        foreach (var container in item.GetArray("containers")?.OfType<JsonObject>() ?? [])
        {
            if (container.GetString("name") is { } containerName && Usage(container["usage"] as JsonObject) is { } usage)
            {
                containers.Add(new ContainerUsage(containerName, usage.NanoCores, usage.MemoryBytes));
            }
        }
        return new PodUsage(ns, name, Labels(item), timestamp, window, containers);
    }

    public static NodeUsage? Node(JsonObject item) =>
        item.GetString("metadata", "name") is { } name && Instant(item, out var timestamp, out var window)
            && Usage(item["usage"] as JsonObject) is { } usage
            ? new NodeUsage(name, timestamp, window, usage.NanoCores, usage.MemoryBytes)
            : null;

    /// <summary>Parses Go's <c>time.Duration</c> text (<c>10.002s</c>, <c>950ms</c>, <c>1m5.5s</c>, <c>1h0m0s</c>); null when malformed.</summary>
    public static TimeSpan? GoDuration(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var total = TimeSpan.Zero;
        var at = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.'))
            {
                at++;
            }
            var unitStart = at;
            while (at < text.Length && char.IsAsciiLetter(text[at]))
            {
                at++;
            }
            if (!decimal.TryParse(text.AsSpan(start, unitStart - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || Unit(text[unitStart..at]) is not { } unit)
            {
                return null;
            }
            total += TimeSpan.FromTicks((long)(value * unit.Ticks));
        }
        return total;
    }

    private static TimeSpan? Unit(string unit) => unit switch
    {
        "h" => TimeSpan.FromHours(1),
        "m" => TimeSpan.FromMinutes(1),
        "s" => TimeSpan.FromSeconds(1),
        "ms" => TimeSpan.FromMilliseconds(1),
        "us" or "µs" => TimeSpan.FromMicroseconds(1),
        _ => null,
    };

    private static bool Instant(JsonObject item, out DateTimeOffset timestamp, out TimeSpan window)
    {
        window = GoDuration(item.GetString("window")) ?? TimeSpan.Zero;
        return DateTimeOffset.TryParse(item.GetString("timestamp"), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out timestamp);
    }

    private static (long NanoCores, long MemoryBytes)? Usage(JsonObject? usage)
    {
        try
        {
            return usage?.GetString("cpu") is { } cpu && usage.GetString("memory") is { } memory
                ? ((long)(new ResourceQuantity(cpu).ToDecimal() * 1_000_000_000m), (long)new ResourceQuantity(memory).ToDecimal())
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> Labels(JsonObject item)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in item["metadata"]?["labels"] as JsonObject ?? [])
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
            {
                labels[key] = text;
            }
        }
        return labels;
    }
}
