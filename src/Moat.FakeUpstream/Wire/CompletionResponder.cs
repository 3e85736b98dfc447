using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Moat.FakeUpstream.Runtime;
using Moat.FakeUpstream.Text;

namespace Moat.FakeUpstream.Wire;

/// <summary>
/// Answers a parsed chat or legacy completion request, whole or as server-sent events, in
/// OpenAI's wire format. Replies come from the replay corpus when it knows the prompt and from
/// <see cref="EnglishTextGenerator"/> otherwise; both are memoised per prompt hash.
/// </summary>
internal sealed class CompletionResponder(TokenCounter tokens, PromptTokenCounter promptTokens, RequestGate gate, TimeProvider time)
{
    private const string SystemFingerprint = "fp_moat_fake";

    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;

    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    private static ReadOnlySpan<byte> DoneEvent => "data: [DONE]\n\n"u8;

    public Task RespondAsync(HttpContext context, FakeUpstreamSnapshot snapshot, CompletionRequest request, Admission admission)
    {
        var choices = new ChoiceReply[request.Prompts.Count * request.N];
        var promptTokenTotal = 0;
        var completionTokenTotal = 0;
        for (var p = 0; p < request.Prompts.Count; p++)
        {
            var prompt = request.Prompts[p];
            promptTokenTotal += prompt.KnownTokens ?? promptTokens.Count(prompt.Hash, prompt.Text);
            for (var i = 0; i < request.N; i++)
            {
                var choice = Choose(snapshot, prompt, i, request.MaxTokens);
                choices[(p * request.N) + i] = choice;
                completionTokenTotal += choice.Tokens;
            }
        }

        var reply = new Reply(
            request,
            choices,
            new Usage(promptTokenTotal, completionTokenTotal),
            (request.Flavor == CompletionFlavor.Chat ? "chatcmpl-" : "cmpl-") + Random.Shared.NextInt64().ToString("x16"),
            time.GetUtcNow().ToUnixTimeSeconds());

        return request.Stream
            ? StreamAsync(context, reply, snapshot.Options, admission == Admission.ProceedThenDrop)
            : WriteWholeAsync(context, reply, admission == Admission.ProceedThenDrop);
    }

    private ChoiceReply Choose(FakeUpstreamSnapshot snapshot, PromptInput prompt, int choice, int? maxTokens)
    {
        GeneratedReply reply;
        if (prompt.ReplayKey is not null && snapshot.Replay?.Find(prompt.ReplayKey) is { } recorded)
        {
            // A recording has one answer, so every choice replays it.
            reply = snapshot.Replies.GetOrAdd(
                (prompt.Hash, -1), (tokens, recorded), static (_, s) => new GeneratedReply(s.recorded, s.tokens.Count(s.recorded)));
        }
        else
        {
            reply = snapshot.Replies.GetOrAdd(
                (prompt.Hash, choice),
                (tokens, snapshot.Options),
                static (key, s) =>
                {
                    var text = EnglishTextGenerator.Generate(
                        SplitMix64.Mix(key.Prompt, (ulong)key.Choice), s.Options.MinWords, s.Options.MaxWords);
                    return new GeneratedReply(text, s.tokens.Count(text));
                });
        }

        if (maxTokens is { } limit && reply.Tokens > limit)
        {
            var cut = tokens.Truncate(reply.Text, limit);
            return new ChoiceReply(cut, tokens.Count(cut), "length");
        }

        return new ChoiceReply(reply.Text, reply.Tokens, "stop");
    }

    private async Task WriteWholeAsync(HttpContext context, Reply reply, bool dropMidway)
    {
        var response = context.Response;
        response.ContentType = "application/json";
        if (!dropMidway)
        {
            WriteWhole(response.BodyWriter, reply);
            await response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }

        // Half a body and a dead connection: what a client sees when an upstream crashes mid-response.
        var buffer = new ArrayBufferWriter<byte>();
        WriteWhole(buffer, reply);
        await response.BodyWriter.WriteAsync(buffer.WrittenMemory[..(buffer.WrittenCount / 2)], context.RequestAborted);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
        await gate.DropAfterFlushAsync(context);
    }

    private static void WriteWhole(IBufferWriter<byte> output, Reply reply)
    {
        using var json = new Utf8JsonWriter(output);
        var chat = reply.Request.Flavor == CompletionFlavor.Chat;
        WriteHeader(json, reply, chat ? "chat.completion" : "text_completion");
        json.WriteStartArray("choices");
        for (var i = 0; i < reply.Choices.Length; i++)
        {
            var choice = reply.Choices[i];
            json.WriteStartObject();
            json.WriteNumber("index", i);
            if (chat)
            {
                json.WriteStartObject("message");
                json.WriteString("role", "assistant");
                json.WriteString("content", choice.Text);
                json.WriteNull("refusal");
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", choice.Text);
            }

            json.WriteNull("logprobs");
            json.WriteString("finish_reason", choice.FinishReason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteUsage(json, reply.Usage);
        json.WriteEndObject();
    }

    private async Task StreamAsync(HttpContext context, Reply reply, FakeUpstreamOptions options, bool dropMidway)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx buffer event streams unless told otherwise.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var body = response.BodyWriter;
        var aborted = context.RequestAborted;
        var chat = reply.Request.Flavor == CompletionFlavor.Chat;
        using var json = new Utf8JsonWriter(body);

        if (chat)
        {
            for (var i = 0; i < reply.Choices.Length; i++)
            {
                WriteChunk(body, json, reply, i, ChunkKind.Role, null);
            }

            await body.FlushAsync(aborted);
        }

        var pieces = new List<string>[reply.Choices.Length];
        var steps = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            pieces[i] = WordChunker.Split(reply.Choices[i].Text, options.WordsPerChunk);
            steps = Math.Max(steps, pieces[i].Count);
        }

        var dropAfter = dropMidway ? Math.Max(1, steps / 2) : int.MaxValue;
        for (var step = 0; step < steps; step++)
        {
            if (options.ChunkDelayMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.ChunkDelayMs), time, aborted);
            }

            for (var i = 0; i < pieces.Length; i++)
            {
                if (step < pieces[i].Count)
                {
                    WriteChunk(body, json, reply, i, ChunkKind.Content, pieces[i][step]);
                }
            }

            await body.FlushAsync(aborted);
            if (step + 1 >= dropAfter)
            {
                await gate.DropAfterFlushAsync(context);
                return;
            }
        }

        if (dropMidway)
        {
            // An empty reply has no content chunks to cut between; drop before the finish.
            await gate.DropAfterFlushAsync(context);
            return;
        }

        for (var i = 0; i < reply.Choices.Length; i++)
        {
            WriteChunk(body, json, reply, i, ChunkKind.Finish, null);
        }

        if (reply.Request.IncludeUsage)
        {
            WriteChunk(body, json, reply, -1, ChunkKind.Usage, null);
        }

        body.Write(DoneEvent);
        await body.FlushAsync(aborted);
    }

    private static void WriteChunk(PipeWriter body, Utf8JsonWriter json, Reply reply, int index, ChunkKind kind, string? content)
    {
        body.Write(DataPrefix);
        json.Reset();
        var chat = reply.Request.Flavor == CompletionFlavor.Chat;
        WriteHeader(json, reply, chat ? "chat.completion.chunk" : "text_completion");
        json.WriteStartArray("choices");
        if (kind != ChunkKind.Usage)
        {
            json.WriteStartObject();
            json.WriteNumber("index", index);
            if (chat)
            {
                json.WriteStartObject("delta");
                if (kind == ChunkKind.Role)
                {
                    json.WriteString("role", "assistant");
                    json.WriteString("content", string.Empty);
                    json.WriteNull("refusal");
                }
                else if (kind == ChunkKind.Content)
                {
                    json.WriteString("content", content);
                }

                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", content ?? string.Empty);
            }

            json.WriteNull("logprobs");
            if (kind == ChunkKind.Finish)
            {
                json.WriteString("finish_reason", reply.Choices[index].FinishReason);
            }
            else
            {
                json.WriteNull("finish_reason");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (kind == ChunkKind.Usage)
        {
            WriteUsage(json, reply.Usage);
        }
        else if (reply.Request.IncludeUsage)
        {
            // OpenAI marks every other chunk with "usage": null once usage was asked for.
            json.WriteNull("usage");
        }

        json.WriteEndObject();
        json.Flush();
        body.Write(EventEnd);
    }

    private static void WriteHeader(Utf8JsonWriter json, Reply reply, string objectType)
    {
        json.WriteStartObject();
        json.WriteString("id", reply.Id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", reply.Created);
        json.WriteString("model", reply.Request.Model);
        json.WriteString("system_fingerprint", SystemFingerprint);
    }

    private static void WriteUsage(Utf8JsonWriter json, Usage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", usage.PromptTokens);
        json.WriteNumber("completion_tokens", usage.CompletionTokens);
        json.WriteNumber("total_tokens", usage.PromptTokens + usage.CompletionTokens);
        json.WriteEndObject();
    }

    private enum ChunkKind
    {
        Role,
        Content,
        Finish,
        Usage,
    }

    private readonly record struct ChoiceReply(string Text, int Tokens, string FinishReason);

    private readonly record struct Usage(int PromptTokens, int CompletionTokens);

    private sealed record Reply(CompletionRequest Request, ChoiceReply[] Choices, Usage Usage, string Id, long Created);
}
