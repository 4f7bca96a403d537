using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Berth.UnitTests.Server.Logging;

/// <summary>
/// Event IDs are the stable handle operators filter and alert on, so one ID must name one message across the whole
/// server, whatever the logger category. New [LoggerMessage] methods take a free ID; this test names any collision.
/// </summary>
public sealed class LoggerMessageEventIdTests
{
    private static readonly string[] BerthAssemblies =
    [
        "berth", "Berth.ApiServer", "Berth.Client", "Berth.Controllers", "Berth.Dns", "Berth.Kubelet",
        "Berth.Machinery", "Berth.Proxy", "Berth.Registry", "Berth.Storage",
    ];

    [Fact]
    public void Every_logger_message_of_the_server_has_its_own_event_id()
    {
        var messages = LoggerMessages().ToList();

        var collisions = messages
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}")
            .ToList();

        Assert.True(messages.Count > 150, $"only {messages.Count} [LoggerMessage] methods found; assembly list stale?");
        Assert.Empty(collisions);
    }

    [Fact]
    public void Every_logger_message_has_an_explicit_event_id()
    {
        // The generator derives an ID from the method name when none is given, which changes on a rename.
        var unnumbered = LoggerMessages().Where(m => m.EventId <= 0).Select(m => m.Method).ToList();

        Assert.Empty(unnumbered);
    }

    private static IEnumerable<(int EventId, string Method)> LoggerMessages()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance
            | BindingFlags.DeclaredOnly;
        foreach (var name in BerthAssemblies)
        {
            foreach (var type in Assembly.Load(name).GetTypes())
            {
                foreach (var method in type.GetMethods(All))
                {
                    if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                    {
                        yield return (attribute.EventId, $"{type.FullName}.{method.Name}");
                    }
                }
            }
        }
    }
}
