using Microsoft.AspNetCore.Http;
using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Gateway.Errors;

namespace Moat.Gateway.Pipeline.Authenticate;

/// <summary>The result of authentication: the key (when the secret is known) and the refusal, if any.</summary>
internal readonly record struct Authentication(KeyEntry? Key, OpenAiError? Refusal)
{
    public bool Succeeded => Key is not null && Refusal is null;
}

/// <summary>Authenticate: bearer secret → SHA-256 → key snapshot → organisation state. No I/O.</summary>
internal sealed class BearerAuthenticator(IKeyDirectory keys)
{
    private static readonly OpenAiError MissingKey = ModelApiErrors.InvalidApiKey(
        "You didn't provide an API key. Pass it in the Authorization header as 'Bearer <key>'.");

    private static readonly OpenAiError UnknownKey = ModelApiErrors.InvalidApiKey();

    public Authentication Authenticate(HttpRequest request, DateTimeOffset now)
    {
        if (!TryReadBearer(request.Headers.Authorization, out var secret))
        {
            return new Authentication(null, MissingKey);
        }
        var entry = keys.FindByHash(ApiKeySecret.Hash(secret));
        if (entry is null || !entry.IsUsableAt(now))
        {
            return new Authentication(null, UnknownKey);
        }
        return new Authentication(entry, RefusalFor(entry.State));
    }

    /// <summary>The refusal for an organisation in <paramref name="state"/>, or null when it is served.</summary>
    public static OpenAiError? RefusalFor(OrgState state) => state switch
    {
        OrgState.Pending => ModelApiErrors.AccessNotApproved(),
        OrgState.Suspended => ModelApiErrors.AccountSuspended(),
        OrgState.Terminated => ModelApiErrors.AccountTerminated(),
        _ => null,
    };

    internal static bool TryReadBearer(string? header, out ReadOnlySpan<char> secret)
    {
        secret = default;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        var value = header.AsSpan().Trim();
        if (value.Length <= 7 || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        secret = value[7..].Trim();
        return secret.Length > 0;
    }
}
