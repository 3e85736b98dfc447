using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Moat.Core.Errors;
using Moat.Gateway.Errors;
using Moat.Gateway.Pipeline.Admit;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Reading the request body: the size limit whatever the framing, and unreadable bodies as 400.</summary>
public sealed class RequestBodyTests
{
    private const long Max = 1024;

    private static DefaultHttpContext Request(Stream body, long? contentLength)
    {
        var context = Stage.Context();
        context.Request.Body = body;
        context.Request.ContentLength = contentLength;
        return context;
    }

    private static byte[] Bytes(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_ExactlyTheLimit_ReadsEveryByte(bool withContentLength)
    {
        var bytes = Bytes((int)Max);

        var (body, error) = await RequestBody.ReadAsync(Request(new TrickleStream(bytes, 100), withContentLength ? bytes.Length : null), Max);

        Assert.Null(error);
        using (body)
        {
            Assert.Equal(bytes, body!.Span.ToArray());
        }
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_EmptyMemory()
    {
        var (body, error) = await RequestBody.ReadAsync(Request(new MemoryStream(), 0), Max);

        Assert.Null(error);
        Assert.Equal(0, body!.Length);
        body.Dispose();
    }

    [Fact]
    public async Task ReadAsync_ContentLengthOverLimit_413WithoutReading()
    {
        var stream = new TrickleStream(Bytes(2000), 2000);

        var (body, error) = await RequestBody.ReadAsync(Request(stream, 2000), Max);

        Assert.Null(body);
        AssertTooLarge(error);
        Assert.Equal(0, stream.Reads);
    }

    [Theory]
    [InlineData(1)]   // one byte over
    [InlineData(7)]   // arrives in odd-sized pieces, as chunks do
    [InlineData(4096)]
    public async Task ReadAsync_NoContentLengthOverLimit_413(int pieceSize)
    {
        var (body, error) = await RequestBody.ReadAsync(Request(new TrickleStream(Bytes((int)Max + 1), pieceSize), null), Max);

        Assert.Null(body);
        AssertTooLarge(error);
    }

    [Fact]
    public async Task ReadAsync_ContentLengthUnderstatesTheBody_413()
    {
        var (body, error) = await RequestBody.ReadAsync(Request(new TrickleStream(Bytes(5000), 512), 10), Max);

        Assert.Null(body);
        AssertTooLarge(error);
    }

    [Fact]
    public async Task ReadAsync_EndlessBody_StopsReadingJustPastTheLimit()
    {
        var endless = new TrickleStream(null, 100);

        var (_, error) = await RequestBody.ReadAsync(Request(endless, null), Max);

        AssertTooLarge(error);
        Assert.True(endless.Position <= 2 * Max, $"read {endless.Position} bytes for a limit of {Max}");
    }

    [Fact]
    public async Task ReadAsync_ServerReports413WhileReading_413()
    {
        var stream = new ThrowingStream(new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge));

        var (_, error) = await RequestBody.ReadAsync(Request(stream, null), Max);

        AssertTooLarge(error);
    }

    public static TheoryData<string> UnreadableBodies => ["io", "bad-request", "invalid-data", "cancelled-not-by-client"];

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task ReadAsync_BodyStreamThrows_400InvalidRequest(string failure)
    {
        Exception exception = failure switch
        {
            "io" => new IOException("connection reset"),
            "bad-request" => new BadHttpRequestException("Bad chunk size data.", StatusCodes.Status400BadRequest),
            "invalid-data" => new InvalidDataException("bad framing"),
            _ => new OperationCanceledException("body read timed out"),
        };

        var (body, error) = await RequestBody.ReadAsync(Request(new ThrowingStream(exception, bytesFirst: 10), null), Max);

        Assert.Null(body);
        Assert.Equal(400, error!.Status);
        Assert.Equal("invalid_request_error", error.Code);
    }

    [Fact]
    public async Task ReadAsync_ClientAborted_CancellationPropagates()
    {
        using var aborted = new CancellationTokenSource();
        var context = Request(new ThrowingStream(new OperationCanceledException(aborted.Token)), null);
        context.RequestAborted = aborted.Token;
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RequestBody.ReadAsync(context, Max));
    }

    [Fact]
    public async Task ReadAsync_ServerHasBodySizeFeature_LimitRaisedToOneOverMax()
    {
        var context = Request(new MemoryStream(Bytes(10)), 10);
        var feature = new MaxBodySizeFeature();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(feature);

        var (body, _) = await RequestBody.ReadAsync(context, Max);
        body!.Dispose();

        Assert.Equal(Max + 1, feature.MaxRequestBodySize);
    }

    [Fact]
    public async Task Dispose_Twice_BufferReturnedToThePoolOnce()
    {
        var (body, _) = await RequestBody.ReadAsync(Request(new MemoryStream(Bytes(100)), 100), Max);
        Assert.True(MemoryMarshal.TryGetArray(body!.Memory, out var segment));
        var buffer = segment.Array!;

        body.Dispose();
        body.Dispose();
        // Shared pool: a buffer returned twice would be handed out to both of the next two renters.
        var first = ArrayPool<byte>.Shared.Rent(buffer.Length);
        var second = ArrayPool<byte>.Shared.Rent(buffer.Length);
        ArrayPool<byte>.Shared.Return(first);
        if (!ReferenceEquals(first, second))
        {
            ArrayPool<byte>.Shared.Return(second);
        }

        Assert.Same(buffer, first);
        Assert.NotSame(first, second);
        Assert.True(body.Memory.IsEmpty);
    }

    private static void AssertTooLarge(OpenAiError? error)
    {
        Assert.Equal(413, error!.Status);
        Assert.Equal("request_too_large", error.Code);
        Assert.Contains(Max.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    /// <summary>A read-only body that hands out at most <c>piece</c> bytes a read (null content: endless).</summary>
    private sealed class TrickleStream(byte[]? content, int piece) : Stream
    {
        private long _position;

        public int Reads { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var left = content is null ? int.MaxValue : content.Length - (int)_position;
            var n = Math.Min(Math.Min(piece, buffer.Length), left);
            for (var i = 0; i < n; i++)
            {
                buffer[i] = content is null ? (byte)'x' : content[_position + i];
            }
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A body that yields some bytes, then fails the way a broken upload does.</summary>
    private sealed class ThrowingStream(Exception exception, int bytesFirst = 0) : Stream
    {
        private int _left = bytesFirst;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left > 0)
            {
                var n = Math.Min(_left, buffer.Length);
                buffer.Span[..n].Fill((byte)'{');
                _left -= n;
                return ValueTask.FromResult(n);
            }
            return ValueTask.FromException<int>(exception);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class MaxBodySizeFeature : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; } = 30_000_000;
    }
}
