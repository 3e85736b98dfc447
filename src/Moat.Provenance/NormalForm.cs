using System.Buffers;

namespace Moat.Provenance;

/// <summary>
/// The internal normal form of a text (names kept, marked), in a pooled buffer: made once and read by both the word
/// sequencer and the fingerprinter, which used to normalise the same text each. Dispose returns the buffer.
/// </summary>
internal readonly struct NormalForm : IDisposable
{
    private readonly char[] _buffer;
    private readonly int _length;

    private NormalForm(char[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlySpan<char> Span => _buffer is null ? default : _buffer.AsSpan(0, _length);

    public static NormalForm Of(string text)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(64, text.Length + 16));
        var length = TextNormalizer.NormalizeInto(text, ref buffer, keepNames: true);
        return new NormalForm(buffer, length);
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<char>.Shared.Return(_buffer);
    }
}
