using System.Net;
using Moat.Cli.Admin;

namespace Moat.Cli.Tests;

/// <summary>Server errors become one line from the OpenAI error shape, whatever the body looks like.</summary>
public sealed class AdminApiExceptionTests
{
    [Fact]
    public void From_OpenAiErrorShape_TakesCodeAndMessage()
    {
        var error = AdminApiException.From(HttpStatusCode.Conflict,
            """{"error":{"message":"A terminated organisation cannot be reinstated.","type":"invalid_request_error","param":null,"code":"illegal_transition"}}""");

        Assert.Equal("illegal_transition", error.Code);
        Assert.Equal("A terminated organisation cannot be reinstated.", error.Message);
    }

    [Fact]
    public void From_NullCode_FallsBackToType()
    {
        var error = AdminApiException.From(HttpStatusCode.BadRequest, """{"error":{"message":"reason is required","type":"invalid_request_error","param":"reason","code":null}}""");

        Assert.Equal("invalid_request_error", error.Code);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("")]
    [InlineData("""{"detail":"nope"}""")]
    public void From_NotTheErrorShape_NamesTheStatus(string body)
    {
        var error = AdminApiException.From(HttpStatusCode.BadGateway, body);

        Assert.Equal("http_502", error.Code);
        Assert.Contains("502", error.Message);
    }
}
