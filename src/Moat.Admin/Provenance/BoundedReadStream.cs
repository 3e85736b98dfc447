using Moat.Admin.Api;
using Moat.Core.Errors;

namespace Moat.Admin.Provenance;

/// <summary>
/// A read-only view of a stream that refuses (413, in the OpenAI error shape) to yield more than <c>limit</c> bytes:
/// a dataset that must be parsed whole cannot make the reader buffer more than its ceiling, whatever carries it.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Window(count)));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer[..Window(buffer.Length)]));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Window(buffer.Length)], cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads at most one byte past the limit, so a stream of exactly <c>limit</c> bytes is accepted.</summary>
    private int Window(int requested) => (int)Math.Min(requested, Math.Max(1, limit + 1 - _read));

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new AdminApiException(OpenAiError.RequestTooLarge(limit));
        }
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
