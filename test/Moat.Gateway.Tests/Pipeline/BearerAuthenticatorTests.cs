using Moat.Core.Access;
using Moat.Gateway.Pipeline.Authenticate;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Authenticate on its own: a bearer secret against an in-memory key directory.</summary>
public sealed class BearerAuthenticatorTests
{
    private static Authentication Authenticate(string? authorization, params KeyEntry[] keys) =>
        new BearerAuthenticator(new FakeKeyDirectory(keys)).Authenticate(Stage.Context(authorization).Request, Stage.Noon);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer      ")]
    [InlineData("Basic bW9hdDpzZWNyZXQ=")]
    [InlineData(Stage.Secret)]
    [InlineData("Bearer" + Stage.Secret)]
    public void Authenticate_MissingOrMalformedHeader_RefusedAsMissingKey(string? header)
    {
        var result = Authenticate(header, Stage.Key());

        Assert.False(result.Succeeded);
        Assert.Null(result.Key);
        Assert.Equal(401, result.Refusal!.Status);
        Assert.Equal("invalid_api_key", result.Refusal.Code);
        Assert.Contains("didn't provide an API key", result.Refusal.Message);
    }

    [Fact]
    public void Authenticate_UnknownSecret_InvalidApiKeyWithoutKey()
    {
        var result = Authenticate("Bearer moat-sk-someone-else", Stage.Key());

        Assert.Null(result.Key);
        Assert.Equal("invalid_api_key", result.Refusal!.Code);
        Assert.DoesNotContain("didn't provide", result.Refusal.Message);
    }

    [Theory]
    [InlineData(-1, null)] // revoked a second ago
    [InlineData(0, null)]  // revoked at this very instant
    [InlineData(null, -1)] // expired a second ago
    [InlineData(null, 0)]
    public void Authenticate_RevokedOrExpiredKey_InvalidApiKeyWithoutKey(int? revokedSeconds, int? expiresSeconds)
    {
        var key = Stage.Key(
            revokedAt: revokedSeconds is { } r ? Stage.Noon.AddSeconds(r) : null,
            expiresAt: expiresSeconds is { } e ? Stage.Noon.AddSeconds(e) : null);

        var result = Authenticate("Bearer " + Stage.Secret, key);

        Assert.Null(result.Key);
        Assert.Equal(401, result.Refusal!.Status);
        Assert.Equal("invalid_api_key", result.Refusal.Code);
    }

    [Fact]
    public void Authenticate_RevocationOrExpiryInTheFuture_Succeeds()
    {
        var key = Stage.Key(revokedAt: Stage.Noon.AddSeconds(1), expiresAt: Stage.Noon.AddDays(1));

        Assert.True(Authenticate("Bearer " + Stage.Secret, key).Succeeded);
    }

    [Theory]
    [InlineData(OrgState.Pending, 403, "access_not_approved")]
    [InlineData(OrgState.Suspended, 403, "account_suspended")]
    [InlineData(OrgState.Terminated, 403, "account_terminated")]
    public void Authenticate_OrgNotServed_RefusedWithItsCodeButKeyKnown(OrgState state, int status, string code)
    {
        var key = Stage.Key(state: state);

        var result = Authenticate("Bearer " + Stage.Secret, key);

        Assert.False(result.Succeeded);
        Assert.Same(key, result.Key); // known key: the refusal is charged and recorded against it
        Assert.Equal(status, result.Refusal!.Status);
        Assert.Equal(code, result.Refusal.Code);
    }

    [Theory]
    [InlineData(OrgState.Active)]
    [InlineData(OrgState.Warned)]
    [InlineData(OrgState.Throttled)]
    public void Authenticate_ServedOrgState_Succeeds(OrgState state)
    {
        var key = Stage.Key(state: state);

        var result = Authenticate("Bearer " + Stage.Secret, key);

        Assert.True(result.Succeeded);
        Assert.Same(key, result.Key);
        Assert.Null(result.Refusal);
    }

    [Theory]
    [InlineData("Bearer " + Stage.Secret)]
    [InlineData("bearer " + Stage.Secret)]
    [InlineData("BEARER   " + Stage.Secret + "  ")]
    [InlineData("  Bearer " + Stage.Secret)]
    public void Authenticate_ValidKeyAnySchemeCaseOrPadding_Succeeds(string header)
    {
        var key = Stage.Key();

        Assert.Same(key, Authenticate(header, key).Key);
    }

    [Fact]
    public void Authenticate_TwoKeysOfTwoOrgs_EachSecretFindsItsOwnKey()
    {
        var a = Stage.Key(secret: "moat-sk-a", orgId: "org_a", keyId: "key_a");
        var b = Stage.Key(secret: "moat-sk-b", orgId: "org_b", keyId: "key_b", state: OrgState.Suspended);

        Assert.Same(a, Authenticate("Bearer moat-sk-a", a, b).Key);
        Assert.Equal("account_suspended", Authenticate("Bearer moat-sk-b", a, b).Refusal!.Code);
    }
}
