using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PenguinMails.Data;

/// <summary>Every timestamp is UTC; SQLite hands them back unspecified, so say so on the way out.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v, DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
