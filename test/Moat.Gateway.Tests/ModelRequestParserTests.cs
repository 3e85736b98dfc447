using System.Text;
using CsCheck;
using Moat.Gateway.Parsing;

namespace Moat.Gateway.Tests;

public sealed class ModelRequestParserTests
{
    private static ModelRequest Parse(string json, ModelEndpoint endpoint = ModelEndpoint.ChatCompletions)
    {
        Assert.True(ModelRequestParser.TryParse(Encoding.UTF8.GetBytes(json), endpoint, out var request, out var error), error?.Message);
        return request;
    }

    private static string Fail(string json, ModelEndpoint endpoint = ModelEndpoint.ChatCompletions)
    {
        Assert.False(ModelRequestParser.TryParse(Encoding.UTF8.GetBytes(json), endpoint, out _, out var error));
        return error!.Param ?? error.Message;
    }

    [Fact]
    public void TryParse_ChatBody_ExtractsFieldsForLimitsAndDetection()
    {
        var request = Parse("""
            {"model":"m","stream":true,"stream_options":{"include_usage":true},"max_tokens":50,"n":2,"temperature":1.2,"logprobs":true,
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hello"},{"type":"image_url","image_url":{"url":"x"}}]}],
             "tools":[{"type":"function"}]}
            """);

        Assert.Equal("m", request.Model);
        Assert.True(request.Stream);
        Assert.True(request.ClientIncludeUsage);
        Assert.Equal(50, request.MaxTokens);
        Assert.Equal(2, request.N);
        Assert.Equal(1.2, request.Temperature);
        Assert.True(request.Logprobs);
        Assert.Equal("Be brief.", request.SystemPrompt);
        Assert.Equal("Hello", request.LastUserPrompt);
        Assert.Equal(2, request.MessageCount);
        Assert.Equal("Be brief.\nHello", request.PromptText);
    }

    [Fact]
    public void TryParse_Conversation_KeepsTheLastAssistantTurnWithText()
    {
        var request = Parse("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"First answer"},
             {"role":"user","content":"More"},{"role":"assistant","content":[{"type":"text","text":"Second answer"}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"c","content":"42"},{"role":"user","content":"Thanks"}]}
            """);

        Assert.Equal("Second answer", request.LastAssistantText);
        Assert.Equal("Thanks", request.LastUserPrompt);
        Assert.Equal("More", request.PriorUserPrompt);
        Assert.Null(Parse("""{"model":"m","messages":[{"role":"user","content":"x"}]}""").LastAssistantText);
        Assert.Null(Parse("""{"model":"m","messages":[{"role":"user","content":"x"}]}""").PriorUserPrompt);
    }

    [Fact]
    public void TryParse_MaxCompletionTokens_CountsAsMaxTokens() =>
        Assert.Equal(7, Parse("""{"model":"m","max_completion_tokens":7,"messages":[{"role":"user","content":"x"}]}""").RequestedCompletionTokens);

    [Fact]
    public void TryParse_CompletionTokenArrays_CountedAsTokens()
    {
        var request = Parse("""{"model":"m","prompt":[[1,2,3],[4]]}""", ModelEndpoint.Completions);
        Assert.Equal(4, request.PromptTokenIds);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m"}""", "messages")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"n":0}""", "n")]
    [InlineData("""{"model":"m","messages":[{"role":"robot","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":7}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"warm"}""", "temperature")]
    public void TryParse_InvalidField_NamesTheParameter(string json, string param) => Assert.Equal(param, Fail(json));

    [Fact]
    public void TryParse_ArbitraryBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            ModelRequestParser.TryParse(bytes, ModelEndpoint.ChatCompletions, out _, out _);
            ModelRequestParser.TryParse(bytes, ModelEndpoint.Embeddings, out _, out _);
        }, iter: 2000);
    }

    [Fact]
    public void TryParse_ValidBodyRoundTrip_ModelAndTextPreserved()
    {
        Gen.Select(Gen.String[1, 50], Gen.String[0, 200]).Sample((model, content) =>
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content } } });
            var request = Parse(json);
            return request.Model == model && request.LastUserPrompt == content;
        }, iter: 300);
    }
}
