using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Controllers.CronJob;
using Berth.UnitTests.Controllers.Job;

namespace Berth.UnitTests.Controllers.CronJob;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 17, 30, TimeSpan.Zero);

    private static CronSchedule Parse(string text)
    {
        Assert.True(CronSchedule.TryParse(text, out var schedule, out var error), error);
        return schedule!;
    }

    [Theory]
    [InlineData("*/5 * * * *", "2026-03-01T10:20:00+00:00")]
    [InlineData("@hourly", "2026-03-01T11:00:00+00:00")]
    [InlineData("@daily", "2026-03-02T00:00:00+00:00")]
    [InlineData("0 9 * * mon", "2026-03-02T09:00:00+00:00")]
    [InlineData("@every 90s", "2026-03-01T10:19:00+00:00")]
    [InlineData("@every 1h30m", "2026-03-01T11:47:30+00:00")]
    public void Next_StandardAndDescriptors_NextActivation(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Parse(text).Next(Now, TimeZoneInfo.Utc));

    [Fact]
    public void Next_TimeZone_EvaluatesInThatZone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), Parse("0 9 * * *").Next(Now, zone)!.Value.ToUniversalTime());
    }

    [Theory]
    [InlineData("* * *")]
    [InlineData("61 * * * *")]
    [InlineData("@every soon")]
    public void TryParse_Invalid_ReturnsError(string text)
    {
        Assert.False(CronSchedule.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void MostRecentScheduleTime_MissedStarts_CountsAndReturnsLatest()
    {
        var cj = BatchObjects.NewCronJob("c", "* * * * *");
        cj.SetPath("2026-03-01T10:10:00Z", "metadata", "creationTimestamp");
        var (_, recent, missed) = CronJobUtil.MostRecentScheduleTime(cj, Now, Parse("* * * * *"), TimeZoneInfo.Utc, includeStartingDeadline: false);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 17, 0, TimeSpan.Zero), recent);
        Assert.Equal(7, missed);

        cj.SetPath(JsonValue.Create(31L), "spec", "startingDeadlineSeconds");
        (_, recent, missed) = CronJobUtil.MostRecentScheduleTime(cj, Now, Parse("* * * * *"), TimeZoneInfo.Utc, includeStartingDeadline: true);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 17, 0, TimeSpan.Zero), recent);
        Assert.Equal(1, missed);
    }

    [Fact]
    public void MostRecentScheduleTime_YearsBehind_SkipsAheadQuickly()
    {
        var cj = BatchObjects.NewCronJob("c", "* * * * *");
        cj.SetPath("2020-01-01T00:00:00Z", "metadata", "creationTimestamp");
        var (_, recent, missed) = CronJobUtil.MostRecentScheduleTime(cj, Now, Parse("* * * * *"), TimeZoneInfo.Utc, includeStartingDeadline: false);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 17, 0, TimeSpan.Zero), recent);
        Assert.True(missed > 3_000_000);
    }

    [Fact]
    public void GetJobFromTemplate_NameAnnotationOwnerAndLabels()
    {
        var cj = BatchObjects.NewCronJob("hello", "* * * * *");
        cj.SetPath("uid-1", "metadata", "uid");
        var scheduled = new DateTimeOffset(2026, 3, 1, 10, 17, 0, TimeSpan.Zero);
        var job = CronJobUtil.GetJobFromTemplate(cj, scheduled, TimeZoneInfo.Utc);
        Assert.Equal($"hello-{scheduled.ToUnixTimeSeconds() / 60}", job["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("2026-03-01T10:17:00Z", job["metadata"]!["annotations"]![CronJobUtil.ScheduledTimestampAnnotation]!.GetValue<string>());
        Assert.Equal("batch", job["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("uid-1", job["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>());
        Assert.Equal("CronJob", job["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
    }
}
