using System.Text;
using System.Text.Json;
using CsCheck;
using Moat.Core.Access;
using Moat.Core.Models;
using Moat.Core.Quotas;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Admit;
using Moat.Gateway.Pipeline.Forward;

namespace Moat.Gateway.Tests;

/// <summary>Admit and the worst-case reservation: what a hostile body can and cannot talk down.</summary>
public sealed class AdmissionTests
{
    private static readonly GatewayOptions Options = new();

    private static readonly KeyEntry Key = new(
        "key_a", "hash", "org_a", "Org A", OrgState.Active, "standard", new QuotaLimits(100, 1000, null), null,
        DefaultMaxTokens: 256, new TierOptions(), null, null);

    private static ModelCatalogOptions Catalog(Action<ModelOptions>? configure = null)
    {
        var model = new ModelOptions { Id = "m", Upstreams = [new UpstreamOptions { BaseUrl = "http://127.0.0.1:1/v1" }] };
        configure?.Invoke(model);
        return new ModelCatalogOptions { Models = [model] };
    }

    private static (AdmittedRequest? Admitted, string? Refusal) Admit(string json, ModelEndpoint endpoint = ModelEndpoint.ChatCompletions, Action<ModelOptions>? model = null)
    {
        var (admitted, _, refusal) = new Admission(Catalog(model), Options).Admit(Encoding.UTF8.GetBytes(json), endpoint, Key);
        return (admitted, refusal is null ? null : refusal.Param ?? refusal.Message);
    }

    [Fact]
    public void Cost_BothCompletionLimits_ReservesTheLarger()
    {
        var (admitted, _) = Admit("""{"model":"m","max_completion_tokens":3000,"max_tokens":1,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(3000, admitted!.Cost.CompletionTokens);
    }

    [Fact]
    public void Cost_CompletionsPromptArrayAndBestOf_MultiplyTheBudget()
    {
        var prompts = string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"p{i}\""));
        var (admitted, _) = Admit($$"""{"model":"m","prompt":[{{prompts}}],"max_tokens":200,"n":2,"best_of":3}""", ModelEndpoint.Completions);
        Assert.Equal(200L * 3 * 60, admitted!.Cost.CompletionTokens);
    }

    [Fact]
    public void Cost_ToolsAndMedia_CountAsPrompt()
    {
        var tools = JsonSerializer.Serialize(Enumerable.Range(0, 500).Select(i => new { type = "function", function = new { name = $"f{i}", description = new string('x', 200) } }));
        var (admitted, _) = Admit("""{"model":"m","tools":""" + tools + ""","messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}""");
        Assert.True(admitted!.Cost.PromptTokens > tools.Length / 4, $"prompt reserve {admitted.Cost.PromptTokens} for {tools.Length} bytes of tools");
        Assert.True(admitted.Cost.PromptTokens >= Options.TokensPerMediaPart);
    }

    [Fact]
    public void Cost_NoBudget_UsesTierDefault() =>
        Assert.Equal(256, Admit("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""").Admitted!.Cost.CompletionTokens);

    [Theory]
    [InlineData("""{"model":"m","max_tokens":1,"max_tokens":3000,"messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","model":"other","messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":true},"stream_options":null,"messages":[{"role":"user","content":"x"}]}""", "stream_options")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x","content":"y"}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","priority":-100,"priority":1,"messages":[{"role":"user","content":"x"}]}""", "priority")]
    public void Admit_DuplicateKey_Refused(string json, string param) => Assert.Equal(param, Admit(json).Refusal);

    [Theory]
    [InlineData("priority")]
    [InlineData("ignore_eos")]
    [InlineData("guided_json")]
    public void Admit_UnknownParameter_RefusedUnlessPassedThrough(string name)
    {
        var json = $$"""{"model":"m","{{name}}":1,"messages":[{"role":"user","content":"x"}]}""";
        Assert.Equal(name, Admit(json).Refusal);
        Assert.Null(Admit(json, model: m => m.PassThroughParameters.Add(name)).Refusal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/x")]
    [InlineData("https://example.invalid/a.png")]
    [InlineData("file:///etc/passwd")]
    public void Admit_RemoteMediaUrl_RefusedUnlessAllowed(string url)
    {
        var json = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + url + "\"}}]}]}";
        Assert.Equal("messages", Admit(json).Refusal);
        Assert.Null(Admit(json, model: m => m.AllowRemoteMedia = true).Refusal);
    }

    [Fact]
    public void Admit_DataUrl_Accepted() =>
        Assert.Null(Admit("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]}""").Refusal);

    [Fact]
    public void UpstreamBody_ClientSwitchesUsageOff_GatewayReplacesStreamOptions()
    {
        var json = """{"model":"m","stream":true,"stream_options":{"include_usage":false,"x":1},"max_tokens":5,"messages":[{"role":"user","content":"x"}]}""";
        var body = Build(json);
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Single(body.GetProperty("stream_options").EnumerateObject());
    }

    [Fact]
    public void UpstreamBody_NullStreamOptionsAndRename_BothSpliced()
    {
        var json = """{"stream_options":null,"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}""";
        var body = Build(json, m => m.UpstreamModel = "served-name");
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("served-name", body.GetProperty("model").GetString());
        Assert.Equal(256, body.GetProperty("max_tokens").GetInt32()); // no budget given: the tier default binds
    }

    [Fact]
    public void UpstreamBody_AnyValidBody_StaysValidJsonWithOneStreamOptions()
    {
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.String[0, 30]).Sample((stream, rename, options, content) =>
        {
            var streamOptions = options switch { 0 => "", 1 => "\"stream_options\":null,", 2 => "\"stream_options\":{\"include_usage\":false},", _ => "\"stream_options\":{},", };
            var json = $$"""{{{streamOptions}}"model":"m","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]}""";
            var body = Build(json, m => m.UpstreamModel = rename ? "u\"q" : null);
            var ok = body.GetProperty("messages")[0].GetProperty("content").GetString() == content
                && body.GetProperty("model").GetString() == (rename ? "u\"q" : "m");
            if (stream)
            {
                ok &= body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean();
            }
            return ok;
        }, iter: 500);
    }

    private static JsonElement Build(string json, Action<ModelOptions>? model = null)
    {
        var (admitted, refusal) = Admit(json, model: model);
        Assert.Null(refusal);
        var bytes = UpstreamRequestBody.Build(Encoding.UTF8.GetBytes(json), admitted!);
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }
}

/// <summary>Token counting stays linear on hostile text (one enormous "word").</summary>
public sealed class TokenCounterTests
{
    [Fact]
    public void Count_TwoMegabyteSingleWord_FinishesQuicklyAndCloseToSliceCount()
    {
        var counter = new Moat.Gateway.Tokens.TokenCounter();
        var text = new string('a', 2 * 1024 * 1024);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var tokens = counter.Count("o200k_base", text);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.InRange(tokens, text.Length / 64, text.Length);
    }

    [Fact]
    public void Count_OrdinaryText_SameAsTheTokenizer()
    {
        var counter = new Moat.Gateway.Tokens.TokenCounter();
        var text = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 200));
        var tokenizer = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base");

        Assert.Equal(tokenizer.CountTokens(text), counter.Count("o200k_base", text));
    }
}
