using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moat.Hostile.Tests.Infrastructure;

/// <summary>
/// A tiny OpenAI-compatible upstream whose behaviour each test scripts: it records every request body it receives and
/// answers with a handler (a well-behaved chat completion by default). For misbehaviour the fake upstream cannot do:
/// endless bodies, streams without usage, streams that never end.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app) => _app = app;

    /// <summary>"METHOD /path body" of every request received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public Func<HttpContext, string, Task> Handler { get; set; } = ChatCompletionAsync;

    /// <summary>The base URL to configure as a model upstream (ends in /v1).</summary>
    public string BaseUrl => _app.Urls.First() + "/v1";

    /// <summary>Requests to the model API proper (not /v1/models probes).</summary>
    public IEnumerable<string> ModelRequests => Requests.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal));

    public static async Task<ScriptedUpstream> StartAsync(Func<HttpContext, string, Task>? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app);
        if (handler is not null)
        {
            upstream.Handler = handler;
        }
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            upstream.Requests.Enqueue($"{context.Request.Method} {context.Request.Path} {body}");
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/v1/models"))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-test\",\"object\":\"model\",\"created\":0,\"owned_by\":\"test\"}]}");
                return;
            }
            await upstream.Handler(context, body);
        });
        await app.StartAsync();
        return upstream;
    }

    public static async Task ChatCompletionAsync(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            "{\"id\":\"chatcmpl-scripted\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-test\"," +
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}");
    }

    /// <summary>Streams chat chunks (one word each, <paramref name="delayMs"/> apart) and [DONE]; never a usage block.</summary>
    public static Func<HttpContext, string, Task> StreamWithoutUsage(int chunks, int delayMs) => async (context, _) =>
    {
        context.Response.ContentType = "text/event-stream";
        var token = context.RequestAborted;
        for (var i = 0; i < chunks && !token.IsCancellationRequested; i++)
        {
            var chunk = "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{" +
                        (i == 0 ? "\"role\":\"assistant\"," : "") + $"\"content\":\"word{i} \"}},\"finish_reason\":null}}]}}";
            await context.Response.WriteAsync("data: " + chunk + "\n\n", token);
            await context.Response.Body.FlushAsync(token);
            if (delayMs > 0)
            {
                await Task.Delay(delayMs, token);
            }
        }
        await context.Response.WriteAsync("data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", token);
        await context.Response.WriteAsync("data: [DONE]\n\n", token);
    };

    /// <summary>
    /// Answers a non-streaming request with a JSON body that keeps growing (a string that never closes) up to
    /// <paramref name="totalBytes"/>; with <paramref name="declareLength"/> it announces that length in Content-Length.
    /// </summary>
    public static Func<HttpContext, string, Task> EndlessJson(long totalBytes, bool declareLength, Action<long>? progress = null) => async (context, _) =>
    {
        var head = Encoding.UTF8.GetBytes("{\"id\":\"chatcmpl-endless\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"");
        context.Response.ContentType = "application/json";
        if (declareLength)
        {
            context.Response.ContentLength = totalBytes;
        }
        var token = context.RequestAborted;
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)'a');
        long sent = 0;
        try
        {
            await context.Response.Body.WriteAsync(head, token);
            sent += head.Length;
            while (sent < totalBytes && !token.IsCancellationRequested)
            {
                var take = (int)Math.Min(filler.Length, totalBytes - sent);
                await context.Response.Body.WriteAsync(filler.AsMemory(0, take), token);
                sent += take;
                progress?.Invoke(sent);
                if (sent % (1024 * 1024) < filler.Length)
                {
                    await Task.Delay(2, token); // ~30 MB/s at most: enough to overrun any sane cap, not the test machine
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
