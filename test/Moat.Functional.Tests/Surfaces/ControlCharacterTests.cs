using System.Net;
using Moat.Functional.Tests.Admin;

namespace Moat.Functional.Tests.Surfaces;

/// <summary>Issue 9 row 13: terminal control sequences and bidi overrides are refused at the portal and the admin API.</summary>
public sealed class ControlCharacterTests(AdminHostFixture fixture) : IClassFixture<AdminHostFixture>
{
    private const string TerminalAttack = "Acme \u001B]0;pwned\u0007\u001B[2J Ltd";

    public static TheoryData<string, string> HostileFields() => new()
    {
        { "organization_name", TerminalAttack },
        { "organization_name", "Acme \u202Edtl emca" },
        { "organization_name", "Acme\nInc" },
        { "organization_name", "Acme \u009B2J Ltd" },
        { "contact_email", "ops\u0007@acme.example.com" },
        { "intended_use", "A customer-support chatbot \u001B[2J that answers questions about products." },
        { "use_case_category", "chatbot\u0000" },
        { "terms_version", "2026-01\u001B" },
    };

    [Theory]
    [MemberData(nameof(HostileFields))]
    public async Task SubmitApplication_ControlCharacterInField_400NamingTheField(string field, string value)
    {
        using var api = new AdminApi(fixture.Host, token: null);

        var answer = await api.PostAsync("/portal/v1/applications", new ApplicationBuilder().With(field, value).Build());

        Assert.Equal(field, answer.AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
    }

    [Fact]
    public async Task SubmitApplication_LineBreaksInIntendedUse_Accepted()
    {
        using var api = new AdminApi(fixture.Host, token: null);

        var answer = await api.PostAsync("/portal/v1/applications",
            new ApplicationBuilder().With("intended_use", "A support chatbot.\r\nIt answers product questions.\n\tAnd nothing else.").Build());

        answer.AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AdminApi_ControlCharactersInKeyNameReasonOrNote_400NamingTheField()
    {
        using var api = new AdminApi(fixture.Host);
        var orgId = await api.OnboardAsync();

        Assert.Equal("name", (await api.PostAsync($"/admin/v1/organizations/{orgId}/keys", new { name = "ci\u001B[2J" }))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
        Assert.Equal("reason", (await api.PostAsync($"/admin/v1/organizations/{orgId}/warn", new { reason = "spam \u001B]0;x\u0007" }))
            .AssertError(HttpStatusCode.BadRequest, "invalid_request_error"));
    }
}
