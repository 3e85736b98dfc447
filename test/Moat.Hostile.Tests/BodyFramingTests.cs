using System.Text;
using Moat.Hostile.Tests.Infrastructure;
using Moat.Testing;

namespace Moat.Hostile.Tests;

/// <summary>Rows 9 and 10: hostile chunked request bodies on every API surface, over a raw socket.</summary>
public sealed class BodyFramingTests(PlainHost plain) : IClassFixture<PlainHost>
{
    /// <summary>Request head for one surface: path plus the credentials that surface wants.</summary>
    private string Head(string surface, string extraHeaders = "") => surface switch
    {
        "model" => "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + plain.Customer.Secret + "\r\n",
        "portal" => "POST /portal/v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\n",
        "admin" => "POST /admin/v1/provenance/search HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + MoatTestHost.AdminToken + "\r\n",
        _ => throw new ArgumentOutOfRangeException(nameof(surface)),
    } + "Content-Type: application/json\r\n" + extraHeaders;

    [Theory]
    [InlineData("model")]
    [InlineData("portal")]
    [InlineData("admin")]
    public async Task Row09_OverflowingChunkSize_Is400InOpenAiShape(string surface)
    {
        await using var connection = await RawConnection.OpenAsync(plain.Host.BaseUri);
        await connection.SendAsync(Head(surface, "Transfer-Encoding: chunked\r\n") + "\r\nFFFFFFFFFFFFFFFFFF\r\n{\"model\":\"x\"}\r\n0\r\n\r\n");

        var response = await connection.ReadResponseAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(response);
        Assert.True(response!.Status == 400, $"{surface}: chunk size FFFFFFFFFFFFFFFFFF answered {response}");
        Errors.AssertShape(response.Body);
    }

    [Theory]
    [InlineData("portal")]
    [InlineData("admin")]
    [InlineData("model")]
    public async Task Row10_TwentyFiveMegabyteChunkedBody_Is413BeforeItIsAllRead(string surface)
    {
        const long total = 25L * 1024 * 1024;
        await using var connection = await RawConnection.OpenAsync(plain.Host.BaseUri);
        await connection.SendAsync(Head(surface, "Transfer-Encoding: chunked\r\n") + "\r\n");
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        var framed = Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray();
        long sent = 0;
        var opening = Encoding.ASCII.GetBytes("{\"text\":\"");
        await connection.SendAsync(Encoding.ASCII.GetBytes($"{opening.Length:X}\r\n").Concat(opening).Concat("\r\n"u8.ToArray()).ToArray());
        try
        {
            while (sent < total && !connection.HasData)
            {
                await connection.SendAsync(framed, TimeSpan.FromSeconds(3));
                sent += chunk.Length;
                if (sent % (1024 * 1024) == 0)
                {
                    await Task.Delay(2);
                }
            }
            if (sent >= total)
            {
                await connection.SendAsync("2\r\n\"}\r\n0\r\n\r\n");
            }
        }
        catch (OperationCanceledException)
        {
            // The server stopped reading: fine, its answer should be waiting.
        }
        catch (IOException)
        {
            // The server closed the connection: fine, its answer should be waiting.
        }

        var response = await connection.ReadResponseAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(response);
        Assert.True(response!.Status == 413, $"{surface}: a 25 MB chunked body answered {response} after {sent / 1024 / 1024} MB");
        Assert.Equal("request_too_large", Errors.AssertShape(response.Body));
        Assert.True(sent < total, $"{surface}: the server read all {sent / 1024 / 1024} MB before answering 413");
    }
}
