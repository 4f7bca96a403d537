using Berth.Client.Events;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Events;

public sealed class EventCorrelatorTests
{
    private static readonly ObjectReference Pod = new("Pod", "a", "web", "uid-1", "v1", "7");
    private static readonly EventSource Kubelet = new("kubelet", "node1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Correlate_SameEventTwice_SecondIsAPatchOfTheFirstWithCountTwo()
    {
        var correlator = new EventCorrelator(_time);
        var first = correlator.Correlate(NewEvent("Killing", "Stopping container web"));
        _time.Advance(TimeSpan.FromSeconds(5));

        var second = correlator.Correlate(NewEvent("Killing", "Stopping container web"));

        Assert.Null(first.Patch);
        Assert.Equal(first.Event.Name, second.Event.Name);
        Assert.Equal(2, second.Event.Count);
        Assert.Equal(first.Event.FirstTimestamp, second.Event.FirstTimestamp);
        Assert.Equal(2, second.Patch!["count"]!.GetValue<int>());
        Assert.Equal("2026-01-02T03:04:10Z", second.Patch["lastTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void Correlate_TenthDistinctMessageWithSameReason_IsCombined()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 9; i++)
        {
            var plain = correlator.Correlate(NewEvent("Unhealthy", $"Readiness probe failed: {i}"));
            Assert.Equal($"Readiness probe failed: {i}", plain.Event.Message);
        }

        var tenth = correlator.Correlate(NewEvent("Unhealthy", "Readiness probe failed: 10"));
        var eleventh = correlator.Correlate(NewEvent("Unhealthy", "Readiness probe failed: 11"));

        Assert.Equal("(combined from similar events): Readiness probe failed: 10", tenth.Event.Message);
        Assert.Null(tenth.Patch);
        Assert.Equal(tenth.Event.Name, eleventh.Event.Name);
        Assert.Equal(2, eleventh.Event.Count);
        Assert.Equal("(combined from similar events): Readiness probe failed: 11", eleventh.Patch!["message"]!.GetValue<string>());
    }

    [Fact]
    public void Correlate_SimilarEventsMoreThanTenMinutesApart_AreNotCombined()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 9; i++)
        {
            correlator.Correlate(NewEvent("Unhealthy", $"failed {i}"));
        }

        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = correlator.Correlate(NewEvent("Unhealthy", "failed 10"));

        Assert.Equal("failed 10", late.Event.Message);
    }

    [Fact]
    public void Correlate_SimilarEventsWithinTheWindow_KeepTheWindowOpen()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 9; i++)
        {
            correlator.Correlate(NewEvent("Unhealthy", $"failed {i}"));
            _time.Advance(TimeSpan.FromMinutes(9));
        }

        var tenth = correlator.Correlate(NewEvent("Unhealthy", "failed 10"));

        Assert.StartsWith(EventAggregatorPrefix, tenth.Event.Message);
    }

    [Fact]
    public void Correlate_MoreThan25EventsAboutOneObject_ThrottlesUntilTheBudgetRefills()
    {
        var correlator = new EventCorrelator(_time);
        var results = Enumerable.Range(0, 30).Select(i => correlator.Correlate(NewEvent("Pulled", "same"))).ToList();

        Assert.Equal(25, results.Count(r => !r.Skip));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(correlator.Correlate(NewEvent("Pulled", "same")).Skip);
        Assert.True(correlator.Correlate(NewEvent("Pulled", "same")).Skip);
    }

    private const string EventAggregatorPrefix = "(combined from similar events): ";

    private EventRecord NewEvent(string reason, string message)
    {
        var now = _time.GetUtcNow();
        return new EventRecord("a", EventRecord.MakeName(Pod.Name, now), Pod, EventTypes.Warning, reason, message, Kubelet, now, now, 1);
    }
}
