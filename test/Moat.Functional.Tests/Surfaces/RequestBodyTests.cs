using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moat.Functional.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Functional.Tests.Surfaces;

/// <summary>
/// Issue 9 rows 9 and 10 through a real Kestrel listener: a body that cannot be read is a 400, a chunked body over the
/// limit is a 413, both in the OpenAI shape and without an error-level log entry.
/// </summary>
public sealed class RequestBodyTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private MoatTestHost _host = null!;
    private Customer _customer = null!;

    public async Task InitializeAsync()
    {
        _host = await MoatTestHost.StartAsync(b => b.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(_logs));
        _customer = await _host.CreateCustomerAsync(tier: "enterprise");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, bool> Routes() => new()
    {
        { "/portal/v1/applications", false },
        { "/admin/v1/organizations/org_missing/limits", true },
    };

    private string? BearerFor(string path, bool authenticated) =>
        !authenticated ? null : path.StartsWith("/admin", StringComparison.Ordinal) ? MoatTestHost.AdminToken : _customer.Secret;

    private static string HeadFor(string path, string? bearer) =>
        RawHttp.ChunkedPostHead(path, bearer).Replace("POST /admin/v1/organizations/org_missing/limits", "PUT /admin/v1/organizations/org_missing/limits", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ChunkedBody_HugeChunkSize_400InvalidRequestWithoutErrorLog(string path, bool authenticated)
    {
        var body = Encoding.ASCII.GetBytes("FFFFFFFFFFFFFFFFFF\r\n{\"a\":1}\r\n0\r\n\r\n");

        var answer = await RawHttp.SendAsync(_host.BaseUri, HeadFor(path, BearerFor(path, authenticated)), [body]);

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request_error", Errors.AssertShape(answer.Body));
        Assert.Empty(_logs.ErrorsAndAbove);
    }

    /// <summary>The model API's own body reader (ModelApiHandler.ReadBodyAsync) must catch the bare IOException too.</summary>
    [Fact]
    public async Task ChunkedBody_HugeChunkSizeToModelApi_400InvalidRequestWithoutErrorLog()
    {
        var body = Encoding.ASCII.GetBytes("FFFFFFFFFFFFFFFFFF\r\n{\"a\":1}\r\n0\r\n\r\n");

        var answer = await RawHttp.SendAsync(_host.BaseUri, HeadFor("/v1/chat/completions", _customer.Secret), [body]);

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request_error", Errors.AssertShape(answer.Body));
        Assert.Empty(_logs.ErrorsAndAbove);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    [InlineData("/v1/chat/completions", true)]
    public async Task ChunkedBody_MalformedChunkFraming_400InvalidRequest(string path, bool authenticated)
    {
        var body = Encoding.ASCII.GetBytes("5\r\n{\"a\":1}XYZ\r\n0\r\n\r\n"); // the chunk is longer than its size says

        var answer = await RawHttp.SendAsync(_host.BaseUri, HeadFor(path, BearerFor(path, authenticated)), [body]);

        Assert.Equal(400, answer.Status);
        Assert.Equal("invalid_request_error", Errors.AssertShape(answer.Body));
        Assert.Empty(_logs.ErrorsAndAbove);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ChunkedBody_25MegabytesToPortalOrAdmin_413RequestTooLarge(string path, bool authenticated)
    {
        var answer = await RawHttp.SendAsync(_host.BaseUri, HeadFor(path, BearerFor(path, authenticated)), RawHttp.Chunks(25L * 1024 * 1024));

        Assert.Equal(413, answer.Status);
        Assert.Equal("request_too_large", Errors.AssertShape(answer.Body));
        Assert.Empty(_logs.ErrorsAndAbove);
    }

    [Fact]
    public async Task ChunkedBody_25MegabytesToModelApi_413RequestTooLarge()
    {
        var answer = await RawHttp.SendAsync(_host.BaseUri, HeadFor("/v1/chat/completions", _customer.Secret), RawHttp.Chunks(25L * 1024 * 1024));

        Assert.Equal(413, answer.Status);
        Assert.Equal("request_too_large", Errors.AssertShape(answer.Body));
    }

    [Fact]
    public async Task ChunkedBody_TwoMegabytesToModelApi_ServedAboveTheGlobalLimit()
    {
        // The global Kestrel limit is 1 MB; the model API raises its own (Moat:Limits:MaxBodyBytes, 8 MB by default).
        var json = "{\"model\":\"" + MoatTestHost.Model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + string.Concat(Enumerable.Repeat("a few ordinary words ", 100_000)) + "\"}]}";
        using var http = _host.Http(_customer.Secret);
        using var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await http.PostAsync("/v1/chat/completions", content);

        Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Body_OverGlobalLimitWithContentLength_413RequestTooLarge()
    {
        using var http = _host.Http();
        using var content = new StringContent("{\"organization_name\":\"" + string.Concat(Enumerable.Repeat("a few ordinary words ", 100_000)) + "\"}", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync("/portal/v1/applications", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", Errors.AssertShape(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>A stream without a length, so HttpClient sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
