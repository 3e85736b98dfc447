using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>
/// HTTP/1.x abuse on a raw socket against the real Kestrel listener: malformed request lines, header floods, bad chunk
/// framing, Content-Length lies, HTTP/1.0, pipelining, slowloris. Never a 500, and the server stays healthy.
/// </summary>
public sealed class ProtocolAbuseTests(PlainHost plain) : IClassFixture<PlainHost>
{
    private const string Chat = "{\"model\":\"" + MoatTestHost.Model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private string Key => plain.Customer.Secret;

    /// <summary>Name → (raw request with {KEY} for the API key, half-close after sending).</summary>
    private static readonly Dictionary<string, (string Raw, bool HalfClose)> Cases = new()
    {
        ["garbage request line"] = ("HELLO\r\n\r\n", false),
        ["request line without version"] = ("GET /v1/models\r\n\r\n", false),
        ["unknown HTTP version"] = ("GET /v1/models HTTP/9.9\r\nHost: x\r\n\r\n", false),
        ["lowercase version"] = ("GET /v1/models http/1.1\r\nHost: x\r\n\r\n", false),
        ["NUL in target"] = ("GET /v1/mo\0dels HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ["space in target"] = ("GET /v1/ models HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ["DEL and high bytes in target"] = ("GET /v1/\u007f\u00ff HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ["absolute-form to another host"] = ("GET http://evil.example/v1/models HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer {KEY}\r\n\r\n", false),
        ["CONNECT tunnel"] = ("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n", false),
        ["asterisk-form"] = ("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ["bare LF line endings"] = ("GET /v1/models HTTP/1.1\nHost: x\nAuthorization: Bearer {KEY}\n\n", false),
        ["header without colon"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", false),
        ["space in header name"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", false),
        ["obsolete line folding"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", false),
        ["HTTP/1.1 without Host"] = ("GET /v1/models HTTP/1.1\r\nAuthorization: Bearer {KEY}\r\n\r\n", false),
        ["two Host headers"] = ("GET /v1/models HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", false),
        ["Latin-1 header value"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nX-Name: caf\u00e9\u00ff\r\n\r\n", false),
        ["NUL in header value"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", false),
        ["100 KB target"] = ("GET /v1/models?q=" + new string('a', 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ["100 KB header"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', 100_000) + "\r\n\r\n", false),
        ["5000 headers"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"X-H{i}: v\r\n")) + "\r\n", false),
        ["5000 Authorization headers"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Repeat("Authorization: Bearer {KEY}\r\n", 5000)) + "\r\n", false),
        ["Content-Length and chunked"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ["two different Content-Lengths"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{\"a\":1", false),
        ["negative Content-Length"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Length: -1\r\n\r\n", false),
        ["overflowing Content-Length"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n\r\n{}", true),
        ["Content-Length larger than the body"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":", true),
        ["Content-Length smaller than the body"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n" + Chat + "\r\n\r\n", true),
        ["chunk size not hex"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", false),
        ["negative chunk size"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", false),
        ["chunk data longer than its size"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"model\":1}\r\n0\r\n\r\n", false),
        ["chunk without trailing CRLF"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", false),
        ["garbage chunk extension"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2;\0\u00ff=\"\r\n{}\r\n0\r\n\r\n", false),
        ["chunked stream cut off"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"model\":\"gpt", true),
        ["unknown transfer coding"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", false),
        ["chunked not last"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", false),
        ["gzip Content-Encoding on plain body"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " + Chat.Length + "\r\n\r\n" + Chat, false),
        ["Expect 100-continue and no body"] = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 50\r\n\r\n", true),
        ["h2c upgrade request"] = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", false),
        ["websocket upgrade on the model API"] = ("GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", false),
        ["HTTP/2 preface on HTTP/1 port"] = ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false),
        ["TLS ClientHello on plaintext port"] = ("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003" + new string('\u0042', 32) + "\u0000\u0000\u0002\u0013\u0001\u0001\u0000", true),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    private async Task AssertHealthyAsync()
    {
        using var http = plain.Host.Http(Key);
        var clock = Stopwatch.StartNew();
        var response = await http.PostAsync("/v1/chat/completions", new StringContent(Chat, Encoding.UTF8, "application/json"));
        Assert.True((int)response.StatusCode == 200, $"after the abuse a normal request answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.True(clock.ElapsedMilliseconds < 5000, $"after the abuse a normal request took {clock.ElapsedMilliseconds} ms");
    }

    private static void AssertNotServerError(RawResponse? response, string name)
    {
        if (response is not null)
        {
            Assert.True(response.Status != 500 && (response.Status < 500 || response.Status is 502 or 504 or 505),
                $"{name}: {response.StatusLine} {response.Body[..Math.Min(300, response.Body.Length)]}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task RawSocket_MalformedRequest_NeverServerErrorAndServerStaysHealthy(string name)
    {
        var (raw, halfClose) = Cases[name];
        await using (var connection = await RawConnection.OpenAsync(plain.Host.BaseUri))
        {
            try
            {
                await connection.SendAsync(Encoding.Latin1.GetBytes(raw.Replace("{KEY}", Key, StringComparison.Ordinal)));
                if (halfClose)
                {
                    connection.Socket.Shutdown(SocketShutdown.Send);
                }
            }
            catch (IOException)
            {
                // The server may close on us mid-send (e.g. header floods): that is a fine answer.
            }
            for (var i = 0; i < 3; i++)
            {
                // The first answer may take a while; later ones only exist when the abuse smuggled a second request.
                var response = await connection.ReadResponseAsync(TimeSpan.FromMilliseconds(i == 0 ? 5000 : 400));
                AssertNotServerError(response, name);
                if (response is null)
                {
                    break;
                }
            }
        }

        await AssertHealthyAsync();
    }

    [Fact]
    public async Task RawSocket_Http10_IsServed()
    {
        await using var connection = await RawConnection.OpenAsync(plain.Host.BaseUri);
        await connection.SendAsync($"POST /v1/chat/completions HTTP/1.0\r\nAuthorization: Bearer {Key}\r\nContent-Type: application/json\r\nContent-Length: {Chat.Length}\r\n\r\n{Chat}");

        var response = await connection.ReadResponseAsync();

        Assert.NotNull(response);
        Assert.True(response!.Status == 200, $"HTTP/1.0: {response}");
        Assert.Contains("chat.completion", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawSocket_PipelinedRequests_AllAnsweredInOrder()
    {
        await using var connection = await RawConnection.OpenAsync(plain.Host.BaseUri);
        var models = $"GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Key}\r\n\r\n";
        var chat = $"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Key}\r\nContent-Type: application/json\r\nContent-Length: {Chat.Length}\r\n\r\n{Chat}";
        var bad = $"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Key}\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n{{";
        await connection.SendAsync(models + chat + bad + models);

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var response = await connection.ReadResponseAsync();
            Assert.True(response is not null, $"pipelined response {i + 1} of 4 never came (got {string.Join(",", statuses)})");
            statuses.Add(response!.Status);
            Assert.True(response.Headers.ContainsKey("x-request-id"), $"pipelined response {i + 1} has no x-request-id");
        }

        Assert.Equal([200, 200, 400, 200], statuses);
    }

    [Fact]
    public async Task RawSocket_Slowloris_FiftyDribblingConnections_OthersStillServed()
    {
        var connections = new List<RawConnection>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var connection = await RawConnection.OpenAsync(plain.Host.BaseUri);
                connections.Add(connection);
                await connection.SendAsync(i % 2 == 0
                    ? "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    : $"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Key}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{");
            }
            var clock = Stopwatch.StartNew();
            var served = 0;
            while (clock.ElapsedMilliseconds < 3000)
            {
                foreach (var connection in connections)
                {
                    try
                    {
                        await connection.SendAsync("a"u8.ToArray(), TimeSpan.FromSeconds(1));
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                        // The server dropped the dribbler: good.
                    }
                }
                await AssertHealthyAsync();
                served++;
                await Task.Delay(100);
            }
            Assert.True(served >= 5, $"only {served} normal requests completed in 3 s beside 50 slow connections");
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
        await AssertHealthyAsync();
    }
}
