namespace Moat.Storage;

/// <summary>One page of a list; pass <see cref="NextCursor"/> back to get the next (null at the end).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);
