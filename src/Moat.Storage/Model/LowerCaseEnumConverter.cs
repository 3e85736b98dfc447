using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Moat.Storage.Model;

/// <summary>Stores an enum by its lower-case name ("pending", "open", …), readable in SQL and stable under reordering.</summary>
internal sealed class LowerCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => value.ToString().ToLowerInvariant(),
    text => Enum.Parse<TEnum>(text, true))
    where TEnum : struct, Enum;
