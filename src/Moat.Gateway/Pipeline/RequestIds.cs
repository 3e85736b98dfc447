namespace Moat.Gateway.Pipeline;

/// <summary>
/// Request ids: <c>req_</c>, then 12 hex digits of the call's start in Unix milliseconds and 12 random hex digits from
/// <see cref="Random.Shared"/> (per-thread xoshiro256**, seeded from the OS). Time first, so ids sort by time and the
/// ledger's request-id index (SQLite or PostgreSQL B-tree) is appended at its right edge instead of being written at
/// random pages; 48 random bits per millisecond, so ids are unique across replicas in practice. Nothing in an id counts
/// requests, so a customer cannot read the provider's traffic from two of them, and nothing is granted by knowing one:
/// they are identifiers, not secrets, and need no call into the system's cryptographic generator per request.
/// </summary>
internal static class RequestIds
{
    public static string Next(DateTimeOffset startedAt)
    {
        var millis = (ulong)Math.Max(0, startedAt.ToUnixTimeMilliseconds()) & 0xFFFF_FFFF_FFFFUL;
        Span<byte> bytes = stackalloc byte[12];
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)millis;
            millis >>= 8;
        }
        Random.Shared.NextBytes(bytes[6..]);
        Span<char> id = stackalloc char[28];
        "req_".CopyTo(id);
        Convert.TryToHexStringLower(bytes, id[4..], out _);
        return new string(id);
    }
}
