using System.IO.Pipelines;
using System.Text;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Forward;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>The SSE relay: settlement before [DONE], the size limit, the hidden usage chunk.</summary>
public sealed class ServerSentEventRelayTests
{
    private const string Hello =
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n" +
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n";

    private const string UsageChunk = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n";

    private const string Done = "data: [DONE]\n\n";

    /// <summary>One relay run: its destination, tap and result.</summary>
    private sealed class Run(bool hideUsage = false)
    {
        public MemoryStream Output { get; } = new();
        public CompletionTap Tap { get; } = new(ModelEndpoint.ChatCompletions);
        public List<string> SeenBeforeDone { get; } = [];

        public string Text => Encoding.UTF8.GetString(Output.ToArray());

        public async Task<bool> CopyAsync(Stream source, long maxBytes = long.MaxValue, TimeSpan? idle = null, CancellationTokenSource? deadline = null)
        {
            var writer = PipeWriter.Create(Output, new StreamPipeWriterOptions(leaveOpen: true));
            using var owned = deadline is null ? new CancellationTokenSource() : null;
            var relay = new ServerSentEventRelay(Tap, hideUsage);
            var end = await relay.CopyAsync(source, writer, deadline ?? owned!, idle ?? TimeSpan.FromSeconds(10),
                async () =>
                {
                    await Task.Yield(); // a real settlement awaits the ledger
                    SeenBeforeDone.Add(Text);
                },
                maxBytes, CancellationToken.None);
            await writer.CompleteAsync();
            return end == RelayEnd.Completed;
        }
    }

    private static MemoryStream Source(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task CopyAsync_CompleteStream_BeforeDoneAwaitedOnceBeforeDoneIsWritten()
    {
        var run = new Run();

        var complete = await run.CopyAsync(Source(Hello + UsageChunk + Done));

        Assert.True(complete);
        var atSettlement = Assert.Single(run.SeenBeforeDone);
        Assert.Equal(Hello + UsageChunk, atSettlement); // everything before [DONE] already reached the client
        Assert.DoesNotContain("[DONE]", atSettlement);
        Assert.Equal(Hello + UsageChunk + Done, run.Text);
    }

    [Theory]
    [InlineData("data: [DONE]\r\n\r\n")]
    [InlineData("data:[DONE]\n\n")]
    [InlineData("data: [DONE] \n\n")]
    public async Task CopyAsync_DoneSpelledDifferently_StillSettledFirst(string done)
    {
        var run = new Run();

        await run.CopyAsync(Source(Hello + done));

        Assert.DoesNotContain("[DONE]", Assert.Single(run.SeenBeforeDone));
        Assert.EndsWith(done, run.Text);
    }

    [Fact]
    public async Task CopyAsync_DoneArrivesByteByByte_SettledOnceBeforeIt()
    {
        var run = new Run();

        await run.CopyAsync(new OneByteStream(Encoding.UTF8.GetBytes(Hello + Done)));

        Assert.DoesNotContain("[DONE]", Assert.Single(run.SeenBeforeDone));
        Assert.Equal(Hello + Done, run.Text);
    }

    [Fact]
    public async Task CopyAsync_StreamEndsWithoutDone_BeforeDoneNotCalled()
    {
        var run = new Run();

        var complete = await run.CopyAsync(Source(Hello));

        Assert.True(complete);
        Assert.Empty(run.SeenBeforeDone);
        Assert.Equal(Hello, run.Text);
    }

    [Fact]
    public async Task CopyAsync_EventsOverMaxBytes_ReturnsFalse()
    {
        var run = new Run();

        var complete = await run.CopyAsync(new OneByteStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Hello, 20)) + Done), piece: 64), maxBytes: 300);

        Assert.False(complete);
        Assert.Empty(run.SeenBeforeDone);
        Assert.DoesNotContain("[DONE]", run.Text);
        Assert.True(run.Text.Length < 1000, $"relayed {run.Text.Length} bytes past a 300-byte limit");
    }

    [Fact]
    public async Task CopyAsync_LimitCrossedInTheReadThatCarriesDone_DoneNeitherSettledNorRelayed()
    {
        var run = new Run();

        var complete = await run.CopyAsync(Source(string.Concat(Enumerable.Repeat(Hello, 20)) + Done), maxBytes: 300);

        Assert.False(complete);
        Assert.Empty(run.SeenBeforeDone);
        Assert.DoesNotContain("[DONE]", run.Text);
    }

    [Fact]
    public async Task CopyAsync_EndlessUnterminatedEvent_ReturnsFalse()
    {
        var run = new Run();

        var complete = await run.CopyAsync(new EndlessStream(), maxBytes: 64 * 1024);

        Assert.False(complete);
    }

    [Fact]
    public async Task CopyAsync_ExactlyMaxBytes_Complete()
    {
        var run = new Run();
        var text = Hello + Done;

        Assert.True(await run.CopyAsync(Source(text), maxBytes: Encoding.UTF8.GetByteCount(text)));
        Assert.False(await new Run().CopyAsync(Source(text), maxBytes: Encoding.UTF8.GetByteCount(text) - 1));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CopyAsync_UsageOnlyChunk_HiddenOnlyWhenAsked(bool hide)
    {
        var run = new Run(hideUsage: hide);

        await run.CopyAsync(Source(Hello + UsageChunk + Done));

        Assert.Equal(hide ? Hello + Done : Hello + UsageChunk + Done, run.Text);
        Assert.Equal(3, run.Tap.PromptTokens); // the tap sees the usage either way
        Assert.Equal(2, run.Tap.CompletionTokens);
        Assert.Equal("Hello", Assert.Single(run.Tap.Texts));
    }

    [Fact]
    public async Task CopyAsync_UsageOnFinalContentChunk_NeverHidden()
    {
        var run = new Run(hideUsage: true);
        const string withUsage = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":3}}\n\n";

        await run.CopyAsync(Source(Hello + withUsage + Done));

        Assert.Contains("\"content\":\"!\"", run.Text);
    }

    [Fact]
    public async Task CopyAsync_UsageChunkAcrossBufferSegments_StillHidden()
    {
        var run = new Run(hideUsage: true);
        // Pushes the usage chunk across the reader's 16 KiB segment boundary.
        var padding = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('x', 16_384 - 60) + "\"}}]}\n\n";

        await run.CopyAsync(new OneByteStream(Encoding.UTF8.GetBytes(padding + UsageChunk + Done), piece: 4096));

        Assert.DoesNotContain("usage", run.Text);
        Assert.EndsWith(Done, run.Text);
        Assert.Equal(2, run.Tap.CompletionTokens);
    }

    [Fact]
    public async Task CopyAsync_SilentUpstream_IdleDeadlineCancels()
    {
        var run = new Run();
        using var deadline = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            run.CopyAsync(new SilentStream(), idle: TimeSpan.FromMilliseconds(200), deadline: deadline));
        Assert.True(deadline.IsCancellationRequested);
    }

    /// <summary>Hands out <c>piece</c> bytes per read, like a slow network.</summary>
    private sealed class OneByteStream(byte[] content, int piece = 1) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(piece, count), cancellationToken);
    }

    /// <summary>"data: xxxxx…" forever, never a blank line.</summary>
    private sealed class EndlessStream : Stream
    {
        private bool _started;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var span = buffer.AsSpan(offset, count);
            span.Fill((byte)'x');
            if (!_started && count >= 6)
            {
                "data: "u8.CopyTo(span);
                _started = true;
            }
            return count;
        }

        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Never answers until cancelled.</summary>
    private sealed class SilentStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
