using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Moat.Core.Quotas;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;
using Xunit.Abstractions;

namespace Moat.Hostile.Tests;

/// <summary>
/// Over ten thousand generated requests against the real host: random JSON in every known field of the chat, legacy
/// completion and embedding bodies (wrong types, huge and negative numbers, nested junk, duplicate keys), byte-level
/// damage (invalid UTF-8, truncation), random headers and credentials, random paths and methods under /v1.
/// The bar: never a 5xx other than 502/504, every error in OpenAI's shape with a message and a code, every response
/// with x-request-id. (Targets Kestrel itself rejects before any middleware runs, such as an encoded NUL, are left to
/// the raw-socket tests, which only ask for "never a 500".)
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    public const int Iterations = 10_500;
    private const string M = MoatTestHost.Model;

    public sealed record FuzzRequest(string Method, string Path, byte[]? Body, string? ContentType, (string Name, string Value)[] Headers, int Auth)
    {
        public override string ToString()
        {
            var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
            return $"{Method} {Path} auth={Auth} headers=[{string.Join("; ", Headers.Select(h => h.Name + ": " + Trim(h.Value)))}] ct={ContentType} body={Trim(body)}";
        }

        private static string Trim(string s) => s.Length > 400 ? s[..400] + $"…(+{s.Length - 400})" : s;
    }

    // ---------- JSON values ----------

    private static Gen<string> Quoted(Gen<string> text) => text.Select(s => JsonSerializer.Serialize(s));

    private static readonly Gen<string> Numbers = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Long.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e308"),
        Gen.OneOf("0", "-0", "-1", "1", "2", "128", "129", "4096", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999", "1e308", "1e309", "-1e309", "1.5e-400",
            "0.5", "1.0", "2.0000000001", "-0.0", "1E2", "1e+2"));

    private static readonly Gen<string> Strings = Gen.OneOf(
        Quoted(Gen.String),
        Quoted(Gen.String[0, 20]),
        Gen.OneOf("\"\"", "\" \"", "\"" + M + "\"", "\"gpt-other\"", "\"user\"", "\"system\"", "\"assistant\"", "\"tool\"", "\"developer\"",
            "\"auto\"", "\"none\"", "\"required\"", "\"float\"", "\"base64\"", "\"json_object\"", "\"\\ud800\"", "\"\\udc00\\ud800\"",
            "\"\\u0000\"", "\"\\u001b[2J\"", "\"a\\\"b\"", "\"\\/\\\\\"", "\"" + new string('x', 5000) + "\"", "\"𝕏🦀\"", "\"\u202e\""));

    private static readonly Gen<string> Primitives = Gen.Frequency(
        (3, Numbers),
        (3, Strings),
        (1, Gen.OneOf("null", "true", "false")),
        (1, Gen.OneOf("NaN", "Infinity", "-Infinity", "undefined", "'x'", "0x10", "01", "+1", ".5", "1.", "tru", "nul", "\"unterminated")));

    private static Gen<string> Value(int depth) => depth == 0
        ? Primitives
        : Gen.Frequency((4, Primitives), (1, ArrayOf(depth - 1)), (1, ObjectOf(depth - 1)));

    private static Gen<string> ArrayOf(int depth) => Value(depth).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]");

    private static readonly string[] AnyKnownName =
    [
        "model", "messages", "role", "content", "name", "type", "text", "image_url", "url", "tool_calls", "tool_call_id", "function",
        "arguments", "prompt", "input", "max_tokens", "n", "stream", "stream_options", "include_usage",
    ];

    private static Gen<string> ObjectOf(int depth) =>
        Gen.Select(Gen.Frequency((3, Gen.OneOf(AnyKnownName)), (1, Gen.String[0, 12])), Value(depth))
            .Array[0, 5]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => JsonSerializer.Serialize(p.Item1) + ":" + p.Item2)) + "}");

    private static readonly Gen<string> Deep = Gen.Select(Gen.Int[1, 400], Gen.Bool, (n, array) =>
        array ? new string('[', n) + new string(']', n) : string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n));

    private static readonly Gen<string> Junk = Gen.Frequency((8, Value(3)), (1, Deep));

    // ---------- well-formed field values, so requests get past validation and reach the upstream ----------

    private static readonly Gen<string> Message = Gen.Select(
        Gen.Frequency((6, Gen.Const("\"user\"")), (1, Gen.OneOf("\"system\"", "\"assistant\"", "\"developer\"", "\"tool\"")), (1, Strings)),
        Gen.Frequency(
            (6, Quoted(Gen.String[1, 60])),
            (1, Gen.Const("[{\"type\":\"text\",\"text\":\"hello\"}]")),
            (1, Gen.Select(Gen.OneOf("text", "image_url", "input_audio", "file", "refusal", "bogus"), Junk, (t, v) => "[{\"type\":\"" + t + "\",\"" + t + "\":" + v + "}]")),
            (1, Junk)),
        (role, content) => "{\"role\":" + role + ",\"content\":" + content + "}");

    private static readonly Gen<string> Messages = Gen.Frequency(
        (8, Message.Array[1, 4].Select(m => "[" + string.Join(",", m) + "]")),
        (1, Junk));

    private static readonly Dictionary<string, Gen<string>> Chat = new()
    {
        ["model"] = Gen.Frequency((12, Gen.Const("\"" + M + "\"")), (1, Gen.Const("\"gpt-other\"")), (1, Strings)),
        ["messages"] = Messages,
        ["stream"] = Gen.OneOf("true", "false"),
        ["stream_options"] = Gen.OneOf("null", "{\"include_usage\":true}", "{\"include_usage\":false}", "{}"),
        ["max_tokens"] = Gen.Int[1, 64].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["max_completion_tokens"] = Gen.Int[1, 64].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["n"] = Gen.Int[1, 3].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["temperature"] = Gen.OneOf("0", "0.7", "1", "2"),
        ["top_p"] = Gen.OneOf("0.1", "1"),
        ["stop"] = Gen.OneOf("\"\\n\"", "[\"a\",\"b\"]", "null"),
        ["presence_penalty"] = Gen.OneOf("0", "-2", "2"),
        ["frequency_penalty"] = Gen.OneOf("0", "1.5"),
        ["logit_bias"] = Gen.OneOf("{}", "{\"50256\":-100}"),
        ["logprobs"] = Gen.OneOf("true", "false"),
        ["top_logprobs"] = Gen.OneOf("0", "5", "20"),
        ["user"] = Quoted(Gen.String[0, 30]),
        ["seed"] = Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["tools"] = Gen.Const("[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]"),
        ["tool_choice"] = Gen.OneOf("\"auto\"", "\"none\"", "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"),
        ["response_format"] = Gen.OneOf("{\"type\":\"text\"}", "{\"type\":\"json_object\"}"),
        ["parallel_tool_calls"] = Gen.OneOf("true", "false"),
        ["metadata"] = Gen.OneOf("{\"k\":\"v\"}", "{}"),
        ["store"] = Gen.OneOf("false", "true"),
        ["service_tier"] = Gen.OneOf("\"auto\"", "\"default\""),
    };

    private static readonly Dictionary<string, Gen<string>> Legacy = new()
    {
        ["model"] = Chat["model"],
        ["prompt"] = Gen.Frequency(
            (5, Quoted(Gen.String[1, 60])),
            (2, Quoted(Gen.String[1, 20]).Array[1, 5].Select(p => "[" + string.Join(",", p) + "]")),
            (1, Gen.Int[0, 50000].Array[1, 8].Select(t => "[" + string.Join(",", t) + "]")),
            (1, Gen.Const("[[1,2,3],[4,5]]"))),
        ["max_tokens"] = Chat["max_tokens"],
        ["n"] = Chat["n"],
        ["best_of"] = Gen.Int[1, 3].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["echo"] = Gen.OneOf("true", "false"),
        ["suffix"] = Gen.OneOf("null", "\"end\""),
        ["logprobs"] = Gen.OneOf("null", "0", "5"),
        ["stream"] = Chat["stream"],
        ["stream_options"] = Chat["stream_options"],
        ["stop"] = Chat["stop"],
        ["temperature"] = Chat["temperature"],
        ["top_p"] = Chat["top_p"],
        ["user"] = Chat["user"],
        ["seed"] = Chat["seed"],
        ["logit_bias"] = Chat["logit_bias"],
    };

    private static readonly Dictionary<string, Gen<string>> Embeddings = new()
    {
        ["model"] = Chat["model"],
        ["input"] = Gen.Frequency(
            (5, Quoted(Gen.String[1, 60])),
            (2, Quoted(Gen.String[1, 20]).Array[1, 5].Select(p => "[" + string.Join(",", p) + "]")),
            (1, Gen.Int[0, 50000].Array[1, 8].Select(t => "[" + string.Join(",", t) + "]"))),
        ["encoding_format"] = Gen.OneOf("\"float\"", "\"base64\""),
        ["dimensions"] = Gen.Int[1, 64].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ["user"] = Chat["user"],
    };

    private static readonly string[] Required = ["model", "messages", "prompt", "input", "stream"];

    /// <summary>One field: well-formed, junk, absent or duplicated (second copy junk).</summary>
    private static Gen<string?> Field(string name, Gen<string> good, bool required)
    {
        var key = JsonSerializer.Serialize(name);
        return Gen.Frequency(
            (required ? 60 : 6, good.Select(v => (string?)(key + ":" + v))),
            (required ? 3 : 2, Junk.Select(v => (string?)(key + ":" + v))),
            (required ? 1 : 60, Gen.Const((string?)null)),
            (1, Gen.Select(good, Junk, (a, b) => (string?)(key + ":" + a + "," + key + ":" + b))));
    }

    private static Gen<string> Body(Dictionary<string, Gen<string>> fields)
    {
        Gen<string?>[] parts = [.. fields.Select(f => Field(f.Key, f.Value, Required.Contains(f.Key)))];
        var extras = Gen.Select(Gen.Frequency((3, Gen.OneOf("priority", "ignore_eos", "guided_json", "x", "__proto__", "model ")), (1, Gen.String[0, 10])), Junk)
            .Array[0, 2].Select(e => e.Select(p => JsonSerializer.Serialize(p.Item1) + ":" + p.Item2).ToArray());
        return Gen.Select(Sequence(parts), extras, Gen.Bool, (fs, xs, shuffle) =>
        {
            var all = fs.Where(f => f is not null).Cast<string>().Concat(xs).ToList();
            if (shuffle)
            {
                all.Reverse();
            }
            return "{" + string.Join(",", all) + "}";
        });
    }

    private static Gen<string?[]> Sequence(Gen<string?>[] parts) =>
        parts.Aggregate(Gen.Const(Array.Empty<string?>()), (acc, part) => Gen.Select(acc, part, (a, p) => (string?[])[.. a, p]));

    /// <summary>Byte-level damage to a body: invalid UTF-8, truncation, flips, a BOM, a JSON array around it.</summary>
    private static Gen<byte[]> Damaged(Gen<string> body) => Gen.Select(body, Gen.Int[0, 99], Gen.Int[0, int.MaxValue], Gen.Byte, (text, kind, position, b) =>
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = bytes.Length == 0 ? 0 : position % bytes.Length;
        return kind switch
        {
            < 79 => bytes,
            < 82 => [.. bytes[..Math.Min(3, bytes.Length)], (byte)(0x80 | (b & 0x7F)), .. bytes[Math.Min(3, bytes.Length)..]], // inside the first property name
            < 87 => [.. bytes[..at], (byte)(0x80 | (b & 0x7F)), .. bytes[at..]],                 // stray continuation byte
            < 89 => [.. bytes[..at], 0xC0, 0xAF, .. bytes[at..]],                                // overlong '/'
            < 91 => [.. bytes[..at], 0xED, 0xA0, 0x80, .. bytes[at..]],                          // encoded surrogate
            < 94 => bytes[..at],                                                                  // truncated
            < 96 => [.. bytes[..at], b, .. bytes[Math.Min(at + 1, bytes.Length)..]],              // flipped byte
            < 98 => [0xEF, 0xBB, 0xBF, .. bytes],                                                 // BOM
            _ => [(byte)'[', .. bytes, (byte)']'],
        };
    });

    private static readonly Gen<string> ContentTypes = Gen.Frequency(
        (30, Gen.Const("application/json")),
        (1, Gen.OneOf("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/json; charset=latin1", "application/JSON", "*/*", "application/octet-stream", "")));

    private static readonly Gen<(string, string)> Headers = Gen.Frequency(
        (3, Gen.Select(
            Gen.OneOf("X-Request-Id", "X-Forwarded-For", "Accept", "Accept-Encoding", "OpenAI-Organization", "OpenAI-Project", "Idempotency-Key",
                "X-Moat-Actor", "Cookie", "Origin", "X-Stainless-Retry-Count", "Range", "If-None-Match", "Accept-Language", "Forwarded", "X-Real-IP"),
            Gen.OneOf("", "gzip", "br", "identity;q=0", "text/event-stream", "*/*", "999.999.999.999", "::1, 10.0.0.1", "bytes=0-1",
                "../../etc/passwd", "<script>", "%00", "a,b,c", new string('z', 3000)),
            (n, v) => (n, v))),
        (1, Gen.Select(Gen.Char['a', 'z'].Array[1, 20].Select(c => "X-" + new string(c)), Gen.Char[' ', '~'].Array[0, 60].Select(c => new string(c).Trim()), (n, v) => (n, v))));

    private static readonly Gen<string> Segments = Gen.Frequency(
        (4, Gen.OneOf("chat/completions", "completions", "embeddings", "models", "models/" + M, "models/gpt-other", "models/nope", "files", "files/file-x",
            "files/file-x/content", "batches", "batches/batch_x", "batches/batch_x/cancel", "responses", "responses/resp_x", "moderations",
            "images/generations", "audio/speech", "chat/completions/", "chat//completions", "CHAT/COMPLETIONS",
            "models/%2e%2e%2f%2e%2e%2fadmin", "models/" + new string('m', 3000), "models/%ff%fe", "models/a%20b",
            "./chat/completions", "chat/completions;x=1", "models?x=1&x=2", "embeddings#frag")),
        (1, Gen.Char['a', 'z'].Array[1, 12].Array[1, 4].Select(parts => string.Join("/", parts.Select(p => new string(p))))));

    private static readonly Gen<string> Methods = Gen.Frequency(
        (10, Gen.Const("POST")), (3, Gen.Const("GET")), (1, Gen.OneOf("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND")));

    private static readonly Gen<int> Auth = Gen.Frequency((20, Gen.Const(0)), (1, Gen.Int[1, 6]));

    public static readonly Gen<FuzzRequest> Requests = Gen.Frequency(
        (35, Gen.Select(Damaged(Body(Chat)), ContentTypes, Headers.Array[0, 2], Auth, Gen.Int[0, 9],
            (b, ct, h, a, s) => new FuzzRequest("POST", s == 0 ? "/v1/chat/completions/" : "/v1/chat/completions", b, ct, h, a))),
        (20, Gen.Select(Damaged(Body(Legacy)), ContentTypes, Headers.Array[0, 2], Auth,
            (b, ct, h, a) => new FuzzRequest("POST", "/v1/completions", b, ct, h, a))),
        (20, Gen.Select(Damaged(Body(Embeddings)), ContentTypes, Headers.Array[0, 2], Auth,
            (b, ct, h, a) => new FuzzRequest("POST", "/v1/embeddings", b, ct, h, a))),
        (5, Gen.Select(Junk, Gen.OneOf("/v1/chat/completions", "/v1/completions", "/v1/embeddings"), Auth,
            (j, p, a) => new FuzzRequest("POST", p, Encoding.UTF8.GetBytes(j), "application/json", [], a))),
        (15, Gen.Select(Methods, Segments, Gen.Frequency((2, Gen.Const((byte[]?)null)), (1, Body(Chat).Select(b => (byte[]?)Encoding.UTF8.GetBytes(b)))), Headers.Array[0, 2], Auth,
            (m, s, b, h, a) => new FuzzRequest(m, "/v1/" + s, b, b is null ? null : "application/json", h, a))));

    private static void Apply(HttpRequestMessage request, FuzzRequest fuzz, string secret)
    {
        switch (fuzz.Auth)
        {
            case 0:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + secret);
                break;
            case 1:
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-" + new string('x', 40));
                break;
            case 3:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + MoatTestHost.AdminToken);
                break;
            case 4:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:" + secret)));
                break;
            case 5:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + secret + " extra");
                break;
            default:
                request.Headers.TryAddWithoutValidation("Authorization", "bearer " + secret[..^1]);
                break;
        }
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (!string.IsNullOrEmpty(fuzz.ContentType))
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }
        foreach (var (name, value) in fuzz.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    [Fact]
    public async Task Fuzz_TenThousandGeneratedRequests_NoServerErrorsAlwaysOpenAiShapeAndRequestId()
    {
        await using var host = await MoatTestHost.StartAsync(b => b.ConfigureUpstream = o => { o.MinWords = 2; o.MaxWords = 8; });
        var customer = await host.CreateCustomerAsync(tier: "enterprise", limits: new QuotaLimits(10_000_000, 10_000_000_000, null));
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None, UseCookies = false })
        {
            BaseAddress = host.BaseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
        long sent = 0, fiveXx = 0, allowedFiveXx = 0, ok = 0;
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<(string Kind, string Detail)>();

        await Requests.SampleAsync(async fuzz =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
            Apply(request, fuzz, customer.Secret);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request);
            }
            catch (HttpRequestException e)
            {
                Interlocked.Increment(ref sent);
                failures.Enqueue(("connection failed", $"{e.Message}: {fuzz}"));
                return;
            }
            using (response)
            {
                Interlocked.Increment(ref sent);
                var status = (int)response.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    Interlocked.Increment(ref fiveXx);
                    if (status is 502 or 504)
                    {
                        Interlocked.Increment(ref allowedFiveXx);
                    }
                    else
                    {
                        failures.Enqueue(($"{status}", $"{Cut(body)} for {fuzz}"));
                    }
                }
                if (status < 400)
                {
                    Interlocked.Increment(ref ok);
                }
                else if (fuzz.Method != "HEAD" && Errors.ShapeProblem(body) is { } problem)
                {
                    failures.Enqueue(($"{status} error body: {problem}", $"{Cut(body)} for {fuzz}"));
                }
                if (!response.Headers.TryGetValues("x-request-id", out var ids) || string.IsNullOrWhiteSpace(ids.FirstOrDefault()))
                {
                    failures.Enqueue(($"{status} without x-request-id", $"{fuzz}"));
                }
            }
        }, iter: Iterations, threads: 4);

        var kinds = failures.GroupBy(f => f.Kind).OrderByDescending(g => g.Count()).ToList();
        var summary = $"fuzz: {sent} requests, {ok} 2xx/3xx, {fiveXx} 5xx ({allowedFiveXx} of them 502/504), {failures.Count} violations; statuses " +
                      string.Join(" ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")) +
                      "; violations " + string.Join(", ", kinds.Select(k => $"{k.Key} ×{k.Count()}"));
        var examples = string.Join("\n", kinds.SelectMany(k => k.Take(3).Select(f => $"[{f.Kind}] {f.Detail}")));
        output.WriteLine(summary);
        output.WriteLine(examples);
        Assert.True(sent >= 10_000, $"only {sent} requests were generated");
        Assert.True(failures.IsEmpty, summary + "\nexamples:\n" + examples);
    }

    private static string Cut(string s) => s.Length > 300 ? s[..300] + "…" : s;
}
