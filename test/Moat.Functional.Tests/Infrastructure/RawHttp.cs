using System.Net.Sockets;
using System.Text;

namespace Moat.Functional.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a bare socket against the test host's real Kestrel listener, for requests no HTTP client sends
/// (a malformed chunk size, a chunked body that never stops).
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body);

    /// <summary>Sends the request head, then <paramref name="body"/> chunk by chunk while reading the answer concurrently.</summary>
    public static async Task<Answer> SendAsync(Uri baseUri, string head, IEnumerable<byte[]> body, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(baseUri.Host, baseUri.Port, cts.Token);
        var stream = client.GetStream();
        var reading = ReadAnswerAsync(stream, cts.Token);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n")), cts.Token);
            foreach (var part in body)
            {
                if (reading.IsCompleted)
                {
                    break; // the server answered early (413): stop sending
                }
                await stream.WriteAsync(part, cts.Token);
            }
        }
        catch (IOException)
        {
            // The server may close the connection once it has answered; the answer is what the test checks.
        }
        return await reading;
    }

    /// <summary>A POST with <c>Transfer-Encoding: chunked</c> and the given raw body bytes.</summary>
    public static string ChunkedPostHead(string path, string? bearer = null) =>
        $"POST {path} HTTP/1.1\nHost: localhost\nContent-Type: application/json\nTransfer-Encoding: chunked\n"
        + (bearer is null ? "" : $"Authorization: Bearer {bearer}\n")
        + "Connection: close\n\n";

    /// <summary>An endless-looking chunked body of <paramref name="totalBytes"/> in 64 KiB chunks (never terminated).</summary>
    public static IEnumerable<byte[]> Chunks(long totalBytes, int chunkSize = 64 * 1024)
    {
        var payload = new byte[chunkSize];
        payload.AsSpan().Fill((byte)' ');
        payload[0] = (byte)'[';
        var framed = new byte[chunkSize + 32];
        var header = Encoding.ASCII.GetBytes(chunkSize.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + "\r\n");
        header.CopyTo(framed, 0);
        payload.CopyTo(framed, header.Length);
        framed[header.Length + chunkSize] = (byte)'\r';
        framed[header.Length + chunkSize + 1] = (byte)'\n';
        var chunk = framed.AsSpan(0, header.Length + chunkSize + 2).ToArray();
        for (long sent = 0; sent < totalBytes; sent += chunkSize)
        {
            yield return chunk;
        }
    }

    private static async Task<Answer> ReadAnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException)
            {
                break;
            }
            if (read == 0)
            {
                break;
            }
            received.Write(buffer, 0, read);
            if (Complete(received.ToArray()))
            {
                break;
            }
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, "no HTTP answer received: " + text);
        var head = text[..split];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Answer(status, head, text[(split + 4)..]);
    }

    private static bool Complete(byte[] data)
    {
        var text = Encoding.ASCII.GetString(data);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }
        foreach (var line in text[..split].Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return data.Length - split - 4 >= int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return false; // chunked or close-delimited: read to the end
    }
}
