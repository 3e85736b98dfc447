using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Moat.Storage.Model;

/// <summary>Stores a DateTimeOffset as UTC ticks (SQLite only), lossless and orderable.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
