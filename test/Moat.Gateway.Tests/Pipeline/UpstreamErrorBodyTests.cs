using System.Text;
using CsCheck;
using Moat.Gateway.Pipeline.Forward;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>A model server's 4xx in whatever shape it comes, rewritten to OpenAI's with a string code.</summary>
public sealed class UpstreamErrorBodyTests
{
    private static Moat.Core.Errors.OpenAiError Read(string payload, int status = 400) =>
        UpstreamErrorBody.Read(Encoding.UTF8.GetBytes(payload), status);

    [Fact]
    public void Read_OpenAiShape_KeptAsItIs()
    {
        var error = Read("""{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""");

        Assert.Equal(400, error.Status);
        Assert.Equal("This model's maximum context length is 8192 tokens.", error.Message);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("messages", error.Param);
        Assert.Equal("context_length_exceeded", error.Code);
    }

    [Fact]
    public void Read_VllmShapeWithNumericCode_MessageKeptCodeBecomesString()
    {
        var error = Read("""{"object":"error","message":"max_tokens must be at least 1, got -1.","type":"BadRequestError","param":null,"code":400}""");

        Assert.Equal("max_tokens must be at least 1, got -1.", error.Message);
        Assert.Equal("BadRequestError", error.Type);
        Assert.Null(error.Param);
        Assert.Equal("invalid_request_error", error.Code);
    }

    [Theory]
    [InlineData(404, "model_not_found")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_exceeded")]
    [InlineData(422, "invalid_request_error")]
    public void Read_NumericCode_StringCodeFromStatus(int status, string code) =>
        Assert.Equal(code, Read($$"""{"object":"error","message":"no","code":{{status}}}""", status).Code);

    [Theory]
    [InlineData("Bad Request")]
    [InlineData("<html><body>400 Bad Request</body></html>")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("{\"error\":\"flat string\"}")]
    [InlineData("{\"message\":")]
    public void Read_NotAnErrorObject_GenericMessage(string payload)
    {
        var error = Read(payload, 400);

        Assert.Equal("The model server refused the request (HTTP 400).", error.Message);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("invalid_request_error", error.Code);
    }

    [Fact]
    public void Read_FastApiDetail_UsedAsMessage() =>
        Assert.Equal("Not Found", Read("""{"detail":"Not Found"}""", 404).Message);

    [Fact]
    public void Read_EmptyOrNullStrings_DefaultsFillIn()
    {
        var error = Read("""{"error":{"message":"","type":null,"code":""}}""", 429);

        Assert.Equal("The model server refused the request (HTTP 429).", error.Message);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("rate_limit_exceeded", error.Code);
    }

    [Fact]
    public void Read_HugeMessage_CutTo2000Characters() =>
        Assert.Equal(2000, Read($$"""{"message":"{{new string('x', 10_000)}}"}""").Message.Length);

    public static TheoryData<byte[]> UndecodableText => new()
    {
        Encoding.UTF8.GetBytes("""{"object":"error","message":"bad \ud800 text","code":400}"""), // lone surrogate escape
        Encoding.Latin1.GetBytes("""{"object":"error","message":"café","code":400}"""),             // Latin-1, not UTF-8
    };

    [Theory]
    [MemberData(nameof(UndecodableText))]
    public void Read_UndecodableTextInMessage_StillAnOpenAiError(byte[] payload)
    {
        var error = UpstreamErrorBody.Read(payload, 400);

        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request_error", error.Code);
    }

    [Fact]
    public void Read_AnyWellFormedPayloadAndClientErrorStatus_NonEmptyStringCodeAndMessage()
    {
        var text = Gen.String[0, 20].Where(IsWellFormed);
        var payloads = Gen.OneOf(
            text.Select(s => Encoding.UTF8.GetBytes(s)),
            Gen.Byte[0, 127].Array[0, 64], // ASCII noise: rarely JSON, always decodable
            Gen.Select(text, Pick("\"x\"", "400", "null", "{}", "[]", "true"), Pick("message", "code", "type", "detail", "param"))
                .Select((message, value, field) => Encoding.UTF8.GetBytes($$"""{"object":"error","{{field}}":{{value}},"message":{{System.Text.Json.JsonSerializer.Serialize(message)}}}""")));

        Gen.Select(payloads, Gen.Int[400, 499]).Sample((payload, status) =>
        {
            var error = UpstreamErrorBody.Read(payload, status);
            return error.Status == status && error.Code.Length > 0 && error.Message.Length > 0 && error.Type.Length > 0;
        }, iter: 2000);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsWellFormed(string text)
    {
        try
        {
            StrictUtf8.GetBytes(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
}
