using System.Text;
using System.Text.Json;
using Moat.Gateway.Parsing;

namespace Moat.Gateway.Pipeline.Forward;

/// <summary>
/// Watches upstream response JSON (a whole body or one SSE chunk) for the usage block and the generated text of
/// each choice, so the ledger, the limiter and the provenance index learn what was served.
/// </summary>
internal sealed class CompletionTap(ModelEndpoint endpoint)
{
    private ChoiceText?[] _choices = [];
    /// <summary>Largest unescape buffer a thread keeps between calls; a bigger one is left to the collector.</summary>
    private const int MaxKeptScratch = 64 * 1024;

    /// <summary>
    /// One unescape buffer per thread: <see cref="Observe"/> runs start to end on one thread (nothing in it awaits), so
    /// calls never share it, and no call allocates one.
    /// </summary>
    [ThreadStatic]
    private static char[]? t_scratch;

    private char[] _scratch = [];

    /// <summary>The distinct finish reasons the upstream reported (for the trace); null until one arrives.</summary>
    public List<string>? FinishReasons { get; private set; }

    public long? PromptTokens { get; private set; }
    public long? CompletionTokens { get; private set; }

    /// <summary>The text of every choice, in index order (empty for embeddings).</summary>
    public IEnumerable<string> Texts
    {
        get
        {
            foreach (var choice in _choices)
            {
                if (choice is { Length: > 0 })
                {
                    yield return choice.Text;
                }
            }
        }
    }

    /// <summary>The text of the first choice that has any (what detection fingerprints as the served reply).</summary>
    public string? FirstText => Array.Find(_choices, c => c is { Length: > 0 })?.Text;

    public bool HasText => Array.Exists(_choices, c => c is { Length: > 0 });

    /// <summary>Reads one JSON document; returns true when it is a usage-only chunk (usage present, choices empty).</summary>
    public bool Observe(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var usageSeen = false;
        var choicesSeen = 0;
        var choicesPresent = false;
        _scratch = t_scratch ?? new char[1024];
        t_scratch = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    usageSeen = ReadUsage(ref reader);
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    choicesPresent = reader.TokenType == JsonTokenType.StartArray;
                    choicesSeen = ReadChoices(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A malformed upstream body is relayed as is; it just teaches us nothing.
            return false;
        }
        finally
        {
            if (_scratch.Length <= MaxKeptScratch)
            {
                t_scratch = _scratch;
            }
            _scratch = [];
        }
        return usageSeen && choicesPresent && choicesSeen == 0;
    }

    private bool ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPrompt = reader.ValueTextEquals("prompt_tokens"u8);
            var isCompletion = reader.ValueTextEquals("completion_tokens"u8);
            reader.Read();
            if ((isPrompt || isCompletion) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
            {
                if (isPrompt)
                {
                    PromptTokens = value;
                }
                else
                {
                    CompletionTokens = value;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        if (endpoint == ModelEndpoint.Embeddings && PromptTokens is not null)
        {
            CompletionTokens ??= 0;
        }
        return true;
    }

    private int ReadChoices(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 0;
        }
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            var index = count;
            var textLength = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) && i is >= 0 and < 1024)
                    {
                        index = i;
                    }
                }
                else if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    textLength = ReadContent(ref reader, textLength);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var reason = reader.GetString()!;
                        FinishReasons ??= [];
                        if (!FinishReasons.Contains(reason) && FinishReasons.Count < 8)
                        {
                            FinishReasons.Add(reason);
                        }
                    }
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        textLength = CopyText(ref reader, 0);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (textLength > 0)
            {
                Append(index, _scratch.AsSpan(0, textLength));
            }
            count++;
        }
        return count;
    }

    /// <summary>Copies message.content / delta.content into the scratch buffer; returns its length (or the previous one).</summary>
    private int ReadContent(ref Utf8JsonReader reader, int previous)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return previous;
        }
        var length = previous;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isContent && reader.TokenType == JsonTokenType.String)
            {
                length = CopyText(ref reader, 0);
            }
            else
            {
                reader.Skip();
            }
        }
        return length;
    }

    /// <summary>Unescapes the current string token into the reusable scratch buffer (no string per chunk).</summary>
    private int CopyText(ref Utf8JsonReader reader, int offset)
    {
        var needed = offset + (reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length);
        if (_scratch.Length < needed)
        {
            Array.Resize(ref _scratch, Math.Max(needed, _scratch.Length * 2));
        }
        return offset + reader.CopyString(_scratch.AsSpan(offset));
    }

    private void Append(int index, ReadOnlySpan<char> text)
    {
        if (index >= _choices.Length)
        {
            Array.Resize(ref _choices, index + 1);
        }
        (_choices[index] ??= new ChoiceText()).Append(text);
    }

    /// <summary>
    /// The text of one choice: a buffered answer arrives in one piece and is kept as the one string settlement reads
    /// (no builder, no second copy); a stream's deltas go into a builder, turned into a string once.
    /// </summary>
    private sealed class ChoiceText
    {
        private string? _text;
        private StringBuilder? _builder;

        public int Length => _builder?.Length ?? _text?.Length ?? 0;

        public string Text => _text ??= _builder?.ToString() ?? string.Empty;

        public void Append(ReadOnlySpan<char> piece)
        {
            if (_builder is null && _text is null)
            {
                _text = new string(piece);
                return;
            }
            _builder ??= new StringBuilder(_text, Math.Max(256, (_text!.Length + piece.Length) * 2));
            _builder.Append(piece);
            _text = null;
        }
    }
}
