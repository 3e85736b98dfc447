using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using Moat.Gateway.Parsing;
using Moat.Gateway.Pipeline.Forward;

namespace Moat.Benchmarks;

/// <summary>
/// The streaming relay on a 200-chunk chat completion stream plus the usage chunk and [DONE]: once as the bytes
/// arrive in 16 KB reads, once one event per read (what a model server that flushes every token produces).
/// Also the tap on a buffered (non-streaming) response body.
/// </summary>
public class ServerSentEventRelayBenchmarks
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);
    private byte[] _stream = [];
    private int[] _eventLengths = [];
    private byte[] _completion = [];

    [GlobalSetup]
    public void Setup()
    {
        var sse = new StringBuilder();
        var lengths = new List<int>();
        var words = SampleText.WordsOf(200, 7).Split(' ');
        for (var i = 0; i < 200; i++)
        {
            var before = sse.Length;
            sse.Append("data: {\"id\":\"chatcmpl-7a1b2c3d4e5f\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,")
               .Append("\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" ")
               .Append(words[i % words.Length])
               .Append("\"},\"finish_reason\":null}]}\n\n");
            lengths.Add(sse.Length - before);
        }
        var usageStart = sse.Length;
        sse.Append("data: {\"id\":\"chatcmpl-7a1b2c3d4e5f\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,")
           .Append("\"model\":\"fake-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":200,\"total_tokens\":242}}\n\n");
        lengths.Add(sse.Length - usageStart);
        var doneStart = sse.Length;
        sse.Append("data: [DONE]\n\n");
        lengths.Add(sse.Length - doneStart);
        _stream = Encoding.UTF8.GetBytes(sse.ToString());
        _eventLengths = [.. lengths];

        _completion = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-7a1b2c3d4e5f\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"fake-model\"," +
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + SampleText.WordsOf(120, 9) +
            "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":150,\"total_tokens\":192}}");
    }

    [Benchmark]
    public Task Relay200Chunks_BulkReads() => RelayAsync(new MemoryStream(_stream, writable: false));

    [Benchmark]
    public Task Relay200Chunks_OneEventPerRead() => RelayAsync(new EventPerReadStream(_stream, _eventLengths));

    [Benchmark]
    public bool TapBufferedCompletion() => new CompletionTap(ModelEndpoint.ChatCompletions).Observe(_completion);

    private static async Task RelayAsync(Stream source)
    {
        var tap = new CompletionTap(ModelEndpoint.ChatCompletions);
        var relay = new ServerSentEventRelay(tap, hideUsageChunk: true);
        using var deadline = new CancellationTokenSource();
        var destination = PipeWriter.Create(Stream.Null);
        await relay.CopyAsync(source, destination, deadline, Idle, static () => ValueTask.CompletedTask, long.MaxValue, CancellationToken.None);
        await destination.CompleteAsync();
    }

    /// <summary>A read-only stream that hands out one SSE event per read, as a per-token flushing server does.</summary>
    private sealed class EventPerReadStream(byte[] data, int[] eventLengths) : Stream
    {
        private int _position;
        private int _event;
        private int _withinEvent;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_event >= eventLengths.Length)
            {
                return 0;
            }
            var length = Math.Min(buffer.Length, eventLengths[_event] - _withinEvent);
            data.AsSpan(_position, length).CopyTo(buffer);
            _position += length;
            _withinEvent += length;
            if (_withinEvent == eventLengths[_event])
            {
                _event++;
                _withinEvent = 0;
            }
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
