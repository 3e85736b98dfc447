using System.Net;
using Microsoft.Extensions.Options;
using Moat.Functional.Tests.Admin;
using Moat.Testing;

namespace Moat.Functional.Tests.Surfaces;

/// <summary>Issue 9 row 8: a limit is a positive integer, an explicit null (or "unlimited") for no limit, or "tier" — never ≤ 0.</summary>
public sealed class LimitValidationTests(AdminHostFixture fixture) : IClassFixture<AdminHostFixture>
{
    [Theory]
    [InlineData("requests_per_minute", -5)]
    [InlineData("requests_per_minute", 0)]
    [InlineData("tokens_per_minute", 0)]
    [InlineData("tokens_per_minute", -1)]
    [InlineData("tokens_per_day", 0)]
    [InlineData("tokens_per_day", -1_000_000)]
    public async Task PutLimits_ZeroOrNegative_400NamingTheField(string field, long value)
    {
        using var api = new AdminApi(fixture.Host);
        var orgId = await api.OnboardAsync("trial");

        var param = (await api.PutAsync($"/admin/v1/organizations/{orgId}/limits", new Dictionary<string, object> { [field] = value, ["reason"] = "typo" }))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request_error");

        Assert.Equal(field, param);
        var org = (await api.GetAsync($"/admin/v1/organizations/{orgId}")).AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, org.GetProperty("overrides").GetProperty(field).ValueKind);
    }

    [Theory]
    [InlineData("\"lots\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("\"Unlimited \"")]
    public async Task PutLimits_NotANumberOrTheWordUnlimited_400NamingTheField(string value)
    {
        using var api = new AdminApi(fixture.Host);
        var orgId = await api.OnboardAsync("trial");

        var answer = await api.SendRawAsync(HttpMethod.Put, $"/admin/v1/organizations/{orgId}/limits", "{\"requests_per_minute\":" + value + ",\"reason\":\"x\"}");

        Assert.Equal("requests_per_minute", answer.AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
    }

    [Fact]
    public async Task PutLimits_UnlimitedThenTier_LiftsThenRestoresTheTierLimitAndLeavesAbsentFieldsAlone()
    {
        using var api = new AdminApi(fixture.Host);
        var orgId = await api.OnboardAsync("trial");
        (await api.PutAsync($"/admin/v1/organizations/{orgId}/limits", new { tokens_per_day = 12345, reason = "pilot" })).AssertStatus(HttpStatusCode.OK);

        var lifted = (await api.PutAsync($"/admin/v1/organizations/{orgId}/limits", new { requests_per_minute = "unlimited", reason = "load test" }))
            .AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(0, lifted.GetProperty("overrides").GetProperty("requests_per_minute").GetInt32());
        Assert.Equal(12345, lifted.GetProperty("overrides").GetProperty("tokens_per_day").GetInt64()); // absent: unchanged

        var restored = (await api.SendRawAsync(HttpMethod.Put, $"/admin/v1/organizations/{orgId}/limits", "{\"requests_per_minute\":\"tier\",\"reason\":\"done\"}"))
            .AssertStatus(HttpStatusCode.OK).Json;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, restored.GetProperty("overrides").GetProperty("requests_per_minute").ValueKind);
        Assert.Equal(20, restored.GetProperty("limits").GetProperty("requests_per_minute").GetInt32()); // the trial tier's
        Assert.Equal(12345, restored.GetProperty("overrides").GetProperty("tokens_per_day").GetInt64());
    }

    [Fact]
    public async Task PutLimits_ExplicitNull_MeansUnlimited()
    {
        using var api = new AdminApi(fixture.Host);
        var orgId = await api.OnboardAsync("trial");

        var lifted = (await api.SendRawAsync(HttpMethod.Put, $"/admin/v1/organizations/{orgId}/limits", "{\"tokens_per_day\":null,\"reason\":\"pilot\"}"))
            .AssertStatus(HttpStatusCode.OK).Json;

        Assert.Equal(0, lifted.GetProperty("overrides").GetProperty("tokens_per_day").GetInt64());
        Assert.Equal(0, lifted.GetProperty("limits").GetProperty("tokens_per_day").GetInt64()); // 0 is how the API shows "no limit"
    }

    [Theory]
    [InlineData("Moat:Tiers:trial:RequestsPerMinute", 0)]
    [InlineData("Moat:Tiers:standard:TokensPerMinute", -1)]
    [InlineData("Moat:Tiers:enterprise:TokensPerDay", 0)]
    [InlineData("Moat:Tiers:trial:DefaultMaxTokens", 0)]
    [InlineData("Moat:ThrottleFactor", 0)]
    public async Task Start_TierLimitNotPositive_RefusedNamingTheSetting(string setting, int value)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => MoatTestHost.StartAsync(b => b.Set(setting, value)));

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }
}
