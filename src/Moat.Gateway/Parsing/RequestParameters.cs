using System.Text;
using System.Text.Json;

namespace Moat.Gateway.Parsing;

/// <summary>How the parser treats one allowed top-level parameter.</summary>
internal enum FieldKind
{
    /// <summary>Allowed and forwarded; the gateway does not need its value.</summary>
    PassThrough,

    /// <summary>Allowed and forwarded; rendered into the prompt by the model server, so its bytes count as prompt.</summary>
    Counted,
    Model,
    Stream,
    StreamOptions,
    MaxTokens,
    MaxCompletionTokens,
    N,
    BestOf,
    Temperature,
    TopP,
    Logprobs,
    Messages,
    Prompt,
    Input,
    Dimensions,
    EncodingFormat,
}

/// <summary>
/// The allow-list of top-level request parameters per endpoint: OpenAI's documented parameters. Anything else (vLLM
/// scheduling extras such as <c>priority</c> or <c>ignore_eos</c>, guided decoding, …) is refused unless the model's
/// configuration passes it through. At most 64 names per endpoint (the parser tracks duplicates in one bit mask).
/// </summary>
internal sealed class RequestParameters
{
    private static readonly RequestParameters Chat = new(
    [
        ("model", FieldKind.Model), ("messages", FieldKind.Messages), ("stream", FieldKind.Stream),
        ("max_tokens", FieldKind.MaxTokens), ("temperature", FieldKind.Temperature), ("n", FieldKind.N),
        ("stream_options", FieldKind.StreamOptions), ("max_completion_tokens", FieldKind.MaxCompletionTokens),
        ("top_p", FieldKind.TopP), ("logprobs", FieldKind.Logprobs), ("top_logprobs", FieldKind.PassThrough),
        ("tools", FieldKind.Counted), ("tool_choice", FieldKind.Counted), ("parallel_tool_calls", FieldKind.PassThrough),
        ("functions", FieldKind.Counted), ("function_call", FieldKind.Counted), ("response_format", FieldKind.Counted),
        ("frequency_penalty", FieldKind.PassThrough), ("presence_penalty", FieldKind.PassThrough), ("stop", FieldKind.PassThrough),
        ("seed", FieldKind.PassThrough), ("user", FieldKind.PassThrough), ("logit_bias", FieldKind.PassThrough),
        ("metadata", FieldKind.PassThrough), ("store", FieldKind.PassThrough), ("reasoning_effort", FieldKind.PassThrough),
        ("modalities", FieldKind.PassThrough), ("audio", FieldKind.PassThrough), ("prediction", FieldKind.Counted),
        ("service_tier", FieldKind.PassThrough), ("verbosity", FieldKind.PassThrough), ("web_search_options", FieldKind.PassThrough),
        ("prompt_cache_key", FieldKind.PassThrough), ("safety_identifier", FieldKind.PassThrough),
    ]);

    private static readonly RequestParameters Completions = new(
    [
        ("model", FieldKind.Model), ("prompt", FieldKind.Prompt), ("stream", FieldKind.Stream),
        ("max_tokens", FieldKind.MaxTokens), ("temperature", FieldKind.Temperature), ("n", FieldKind.N),
        ("stream_options", FieldKind.StreamOptions), ("top_p", FieldKind.TopP), ("logprobs", FieldKind.Logprobs),
        ("best_of", FieldKind.BestOf), ("suffix", FieldKind.Counted), ("echo", FieldKind.PassThrough),
        ("stop", FieldKind.PassThrough), ("presence_penalty", FieldKind.PassThrough), ("frequency_penalty", FieldKind.PassThrough),
        ("logit_bias", FieldKind.PassThrough), ("user", FieldKind.PassThrough), ("seed", FieldKind.PassThrough),
    ]);

    private static readonly RequestParameters Embeddings = new(
    [
        ("model", FieldKind.Model), ("input", FieldKind.Input), ("encoding_format", FieldKind.EncodingFormat),
        ("dimensions", FieldKind.Dimensions), ("user", FieldKind.PassThrough),
    ]);

    private readonly byte[][] _names;
    private readonly string[] _strings;
    private readonly FieldKind[] _kinds;

    private RequestParameters((string Name, FieldKind Kind)[] parameters)
    {
        if (parameters.Length > 64)
        {
            throw new ArgumentException("At most 64 parameters per endpoint.", nameof(parameters));
        }
        _strings = Array.ConvertAll(parameters, p => p.Name);
        _names = Array.ConvertAll(parameters, p => Encoding.UTF8.GetBytes(p.Name));
        _kinds = Array.ConvertAll(parameters, p => p.Kind);
    }

    public static RequestParameters For(ModelEndpoint endpoint) => endpoint switch
    {
        ModelEndpoint.ChatCompletions => Chat,
        ModelEndpoint.Completions => Completions,
        _ => Embeddings,
    };

    /// <summary>The parameter names the endpoint accepts (for documentation and error messages).</summary>
    public IReadOnlyList<string> Names => _strings;

    /// <summary>The index of the property name under the reader, or -1 when it is not on the list.</summary>
    public int IndexOf(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (reader.ValueTextEquals(_names[i]))
            {
                return i;
            }
        }
        return -1;
    }

    public string Name(int index) => _strings[index];

    public FieldKind Kind(int index) => _kinds[index];

    public ulong BitOf(FieldKind kind)
    {
        var index = Array.IndexOf(_kinds, kind);
        return index < 0 ? 0 : 1UL << index;
    }
}
