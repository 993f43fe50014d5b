using System.Globalization;

namespace Kefu.Learning.Hosting;

/// <summary>A time of day in a fixed UTC offset (the shop's), and the next time it comes after a given instant.</summary>
public sealed record DailySchedule(TimeOnly At, TimeSpan Offset)
{
    /// <summary>Parses "03:00" and "+08:00"; errors name the value.</summary>
    public static DailySchedule Parse(string at, string offset)
    {
        if (!TimeOnly.TryParseExact(at, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            throw new FormatException($"daily_at: \"{at}\" is not HH:mm.");
        if (!TimeSpan.TryParse(offset.StartsWith('+') ? offset[1..] : offset, CultureInfo.InvariantCulture, out var span) || span.Duration() > TimeSpan.FromHours(14))
            throw new FormatException($"utc_offset: \"{offset}\" is not an offset like +08:00.");
        return new DailySchedule(time, span);
    }

    /// <summary>The first moment strictly after <paramref name="now"/> whose local time (in the offset) is <see cref="At"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        var local = now.ToOffset(Offset);
        var today = new DateTimeOffset(DateOnly.FromDateTime(local.DateTime).ToDateTime(At), Offset);
        return today > now ? today : today.AddDays(1);
    }
}
