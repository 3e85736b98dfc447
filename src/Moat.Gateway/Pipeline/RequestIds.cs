namespace Moat.Gateway.Pipeline;

/// <summary>
/// Request ids: <c>req_</c> and 24 random hex digits from <see cref="Random.Shared"/> (per-thread xoshiro256**, seeded
/// from the OS): 96 bits, so unique across replicas in practice, and no counter a customer could read the provider's
/// traffic from. They are identifiers, not secrets (knowing one grants nothing), so they do not need a call into the
/// system's cryptographic generator per request.
/// </summary>
internal static class RequestIds
{
    public static string Next()
    {
        Span<byte> bytes = stackalloc byte[12];
        Random.Shared.NextBytes(bytes);
        Span<char> id = stackalloc char[28];
        "req_".CopyTo(id);
        Convert.TryToHexStringLower(bytes, id[4..], out _);
        return new string(id);
    }
}
