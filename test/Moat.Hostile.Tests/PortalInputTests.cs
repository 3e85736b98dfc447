using System.Text.Json;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Row 13: terminal escape sequences in an applicant's organisation name would reach operators' consoles and CLIs.</summary>
public sealed class PortalInputTests(PortalInputTests.PortalHost portal) : IClassFixture<PortalInputTests.PortalHost>
{
    public sealed class PortalHost : IAsyncLifetime
    {
        public MoatTestHost Host { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Host = await MoatTestHost.StartAsync(b => b.Set("Moat:Portal:ApplicationsPerMinute", 1000).Set("Moat:Portal:ApplicationsPerDay", 1000));

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    [Theory]
    [InlineData("Acme\u001b]0;x\u0007\u001b[2J")]
    [InlineData("Acme\u001b[31mRed")]
    [InlineData("Acme\u0000Null")]
    [InlineData("Acme\u009b2J")]
    public async Task Row13_ControlCharactersInOrganizationName_Are400InvalidRequest(string name)
    {
        using var http = portal.Host.Http();
        var application = new Dictionary<string, object>
        {
            ["organization_name"] = name,
            ["contact_email"] = "ops@acme.example.com",
            ["intended_use"] = "A customer-support chatbot that answers questions about our products.",
            ["use_case_category"] = "chatbot",
            ["expected_monthly_tokens"] = 5_000_000,
            ["terms_version"] = "2026-01",
        };

        var (status, text, _) = await Hosts.PostJsonAsync(http, "/portal/v1/applications", JsonSerializer.Serialize(application));

        Assert.True(status == 400, $"organization_name {JsonSerializer.Serialize(name)} answered {status}: {text}");
        Assert.Equal("invalid_request_error", Errors.AssertShape(text));
    }
}
