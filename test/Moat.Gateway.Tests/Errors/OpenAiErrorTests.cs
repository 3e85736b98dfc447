using System.Text;
using Moat.Core.Errors;

namespace Moat.Gateway.Tests.Errors;

public sealed class OpenAiErrorTests
{
    [Fact]
    public void ToUtf8Json_NoParam_WritesOpenAiShapeWithNullParam()
    {
        var json = Encoding.UTF8.GetString(OpenAiError.NotFound("/v1/nope").ToUtf8Json());

        Assert.Equal("""{"error":{"message":"Unknown route \u0027/v1/nope\u0027.","type":"invalid_request_error","param":null,"code":"not_found"}}""", json);
    }

    [Fact]
    public void ToUtf8Json_WithParam_WritesParam()
    {
        var json = Encoding.UTF8.GetString(OpenAiError.InvalidRequest("bad", "model").ToUtf8Json());

        Assert.Equal("""{"error":{"message":"bad","type":"invalid_request_error","param":"model","code":"invalid_request_error"}}""", json);
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(0.2, "1")]
    [InlineData(1.5, "2")]
    [InlineData(60, "60")]
    public void RetryAfterSeconds_Delay_WholeSecondsAtLeastOne(double seconds, string expected)
    {
        Assert.Equal(expected, OpenAiError.RetryAfterSeconds(TimeSpan.FromSeconds(seconds)));
    }
}
