using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Moat.Core.Access;

/// <summary>Creates API key secrets and the SHA-256 form in which they are stored and looked up.</summary>
public static class ApiKeySecret
{
    public const string Prefix = "moat-sk-";
    private const int SecretBytes = 32;
    private const int DisplayLength = 12;

    /// <summary>A new secret: the prefix followed by 32 random bytes in base64url.</summary>
    public static string Generate()
    {
        Span<byte> random = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(random);
        return Prefix + Base64Url.EncodeToString(random);
    }

    /// <summary>The short, non-secret part shown in lists ("moat-sk-AbCd…").</summary>
    public static string DisplayPrefix(string secret) =>
        secret.Length <= DisplayLength ? secret : secret[..DisplayLength];

    /// <summary>Lower-case hex SHA-256 of the UTF-8 secret; what the database holds.</summary>
    public static string Hash(string secret) => Hash(secret.AsSpan());

    public static string Hash(ReadOnlySpan<char> secret)
    {
        var max = Encoding.UTF8.GetMaxByteCount(secret.Length);
        var buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(secret, buffer);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..length], digest);
        return Convert.ToHexStringLower(digest);
    }
}
