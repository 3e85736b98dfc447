namespace Moat.Admin.Api;

/// <summary>A list page: <c>{data, next_cursor}</c>.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Data, string? NextCursor);

// Request bodies: every member optional so that a missing field is a clear 400 naming it, not a binding failure.

public sealed record ReasonRequest(string? Reason);
