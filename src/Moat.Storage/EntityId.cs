using System.Security.Cryptography;

namespace Moat.Storage;

/// <summary>
/// Identifiers like <c>org_0190a1b2c3d4e5f60718293a</c>: a prefix and 24 lower-case hex characters, the first 12 the
/// creation time in Unix milliseconds and the rest random, so ids sort by creation and make stable paging cursors.
/// </summary>
public static class EntityId
{
    public const string Organization = "org";
    public const string ApiKey = "key";
    public const string Application = "app";
    public const string Case = "case";
    public const string AdminToken = "adm";

    public static string New(string prefix, TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[12];
        var milliseconds = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }
        RandomNumberGenerator.Fill(bytes[6..]);
        return prefix + "_" + Convert.ToHexStringLower(bytes);
    }
}
