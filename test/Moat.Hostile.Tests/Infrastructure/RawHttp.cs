using System.Net.Sockets;
using System.Text;

namespace Moat.Hostile.Tests.Infrastructure;

/// <summary>One HTTP/1.x response read off a raw socket.</summary>
public sealed record RawResponse(int Status, string StatusLine, Dictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{StatusLine} {Body}";
}

/// <summary>Talks HTTP/1.1 over a TcpClient, byte for byte, for what HttpClient refuses to send.</summary>
public sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> OpenAsync(Uri baseUri)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(baseUri.Host, baseUri.Port);
        return new RawConnection(client);
    }

    public Socket Socket => _client.Client;

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        await _stream.WriteAsync(bytes, timeout.Token);
        await _stream.FlushAsync(timeout.Token);
    }

    /// <summary>True when the server has sent something (or closed) and a read would not block.</summary>
    public bool HasData => _end > _start || _client.Client.Poll(0, SelectMode.SelectRead);

    /// <summary>Reads one response; null when the server closed the connection (or went silent) without answering.</summary>
    public async Task<RawResponse?> ReadResponseAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        try
        {
            var head = await ReadHeadAsync(timeout.Token);
            if (head is null)
            {
                return null;
            }
            var lines = head.Split("\r\n");
            var statusLine = lines[0];
            var parts = statusLine.Split(' ', 3);
            var status = parts.Length >= 2 && int.TryParse(parts[1], out var s) ? s : -1;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
                }
            }
            string body;
            if (headers.TryGetValue("Content-Length", out var length) && long.TryParse(length, out var n))
            {
                body = Encoding.UTF8.GetString(await ReadExactAsync((int)Math.Min(n, 16 * 1024 * 1024), timeout.Token));
            }
            else if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = await ReadChunkedAsync(timeout.Token);
            }
            else if (status is 204 or 304 || (status >= 100 && status < 200))
            {
                body = "";
            }
            else
            {
                body = await ReadToCloseAsync(timeout.Token);
            }
            return new RawResponse(status, statusLine, headers, body);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>True when the server closed the connection within the time (a read returns 0 or fails).</summary>
    public async Task<bool> IsClosedWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                _start = _end = 0;
                var read = await _stream.ReadAsync(_buffer, timeout.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<bool> FillAsync(CancellationToken token)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new IOException("response head too large for the test buffer");
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), token);
        _end += read;
        return read > 0;
    }

    private async Task<string?> ReadHeadAsync(CancellationToken token)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (index >= 0)
            {
                var head = Encoding.Latin1.GetString(_buffer, _start, index);
                _start += index + 4;
                return head;
            }
            if (!await FillAsync(token))
            {
                return null;
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken token)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (index >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, index);
                _start += index + 2;
                return line;
            }
            if (!await FillAsync(token))
            {
                throw new IOException("closed mid-line");
            }
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken token)
    {
        var result = new byte[count];
        var have = 0;
        while (have < count)
        {
            if (_end == _start && !await FillAsync(token))
            {
                return result[..have];
            }
            var take = Math.Min(count - have, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, have, take);
            _start += take;
            have += take;
        }
        return result;
    }

    private async Task<string> ReadChunkedAsync(CancellationToken token)
    {
        var body = new MemoryStream();
        while (true)
        {
            var sizeLine = await ReadLineAsync(token);
            var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(token)).Length > 0)
                {
                }
                return Encoding.UTF8.GetString(body.ToArray());
            }
            body.Write(await ReadExactAsync(size, token));
            await ReadLineAsync(token);
        }
    }

    private async Task<string> ReadToCloseAsync(CancellationToken token)
    {
        var body = new MemoryStream();
        body.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(_buffer, token)) > 0)
            {
                body.Write(_buffer, 0, read);
            }
        }
        catch (IOException)
        {
        }
        return Encoding.UTF8.GetString(body.ToArray());
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
